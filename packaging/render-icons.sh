#!/usr/bin/env bash
# Renders packaging/stillpoint.svg to the PNGs the packages need; run it after changing the SVG and commit the PNGs.
#   android/res/mipmap-*/ic_launcher.png   Android's legacy launcher icon, 48 dp at each density (the adaptive icon of
#                                          Android 8+ is android/res/mipmap-anydpi-v26/ic_launcher.xml)
#   android/ic_launcher-playstore.png      512 x 512, full-bleed square (the store rounds the corners itself)
# Needs rsvg-convert (Debian: librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")"
command -v rsvg-convert >/dev/null || { echo "needs rsvg-convert (apt-get install librsvg2-bin)" >&2; exit 1; }

for density in mdpi:48 hdpi:72 xhdpi:96 xxhdpi:144 xxxhdpi:192; do
  dir=android/res/mipmap-${density%%:*}
  size=${density##*:}
  mkdir -p "$dir"
  rsvg-convert -w "$size" -h "$size" stillpoint.svg -o "$dir/ic_launcher.png"
done

# The store icon fills its square: the same mark on a background without margin or corners.
store_svg=$(sed 's|<rect x="16" y="16" width="480" height="480" rx="112"|<rect x="0" y="0" width="512" height="512" rx="0"|' stillpoint.svg)
grep -q 'rx="0"' <<<"$store_svg" || { echo "stillpoint.svg's background rect changed: update render-icons.sh" >&2; exit 1; }
rsvg-convert -w 512 -h 512 -o android/ic_launcher-playstore.png <<<"$store_svg"
