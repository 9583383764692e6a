#!/usr/bin/env bash
# Type-checks the phone build: the library for aarch64-linux-android with `--no-default-features --features android`,
# every Android-only line of Stillpoint (src/platform/android.rs) and of its dependencies (Slint's android-activity
# backend, android-activity, ndk, jni, cpal's AAudio backend, Skia's Rust bindings).
#
# What it cannot do here: link. The cdylib an APK loads needs the Android NDK's sysroot (crtbegin_so.o, -llog -lc
# -lm -ldl -lunwind) and Skia's prebuilt static library, and nothing reachable from these machines provides either.
# docs/android.md says how to build the APK on a machine with the Android SDK and NDK.
#
# How: rustup here has only the x86_64 standard library and cannot download another, so std is rebuilt from source
# for the target (`-Zbuild-std`, allowed on a stable compiler by RUSTC_BOOTSTRAP=1; checks only, never releases).
# The source is Debian's `rust-src` package of the same Rust version (trixie-backports, an `all` package),
# downloaded with a private apt configuration (the host's apt sources are not touched) and unpacked, not installed.
# The compiler reads it from a toolchain folder whose sysroot has it at lib/rustlib/src/rust/library: hard links to
# (or copies of) the rustup toolchain's rustc, cargo and libraries, beside the host standard library.
#
# Two build scripts need stand-ins, both for files a check never uses:
#   - i-slint-backend-android-activity compiles its Java helper with javac and d8 against the SDK's android.jar
#     and embeds classes.dex (include_bytes!). A stub JDK (javac, java) writes an empty classes.dex. The Java file
#     itself is not compiled here (it needs an API 34 android.jar, which only Google's SDK has).
#   - skia-bindings would download prebuilt Skia binaries from GitHub or build Skia with the NDK's clang. DOCS_RS=1
#     makes it use the complete pre-generated bindings it ships for docs.rs (gl, vulkan, textlayout, svg), so
#     skia-safe and Slint's Skia renderer are type-checked against the real API. The only other crate in the Android
#     graph that reads DOCS_RS is android-activity, where it only lifts the "pick native-activity or
#     game-activity" error; Slint selects native-activity anyway.
# No crate in the graph compiles C for Android with the `cc` crate (android-activity only does for game-activity),
# so no CC_aarch64_linux_android is needed for a check.
#
# Warnings in Stillpoint's code fail the check (RUSTFLAGS=-D warnings), as clippy's do on the desktop build.
#
# Usage: scripts/check-android.sh [TARGET...]     (default aarch64-linux-android; x86_64-linux-android for the
#                                                 emulator image also works)
# Env: STILLPOINT_CACHE (default ~/.cache/stillpoint) keeps the std source and the toolchain folder between runs;
#      CARGO_TARGET_DIR is ignored: the build goes to target/android-check (the std build is per target folder).
# Time on 2 cores: ~6-8 min for a first run (45 MB download, std and every dependency), ~1 s with nothing changed,
# 5-40 s after an edit. Space: ~430 MB in the cache (toolchain files are hard links where possible), ~1.5 GB in
# target/android-check.
# Needs: the rustup toolchain of the version below, apt-get and dpkg-deb (Debian), network access to Debian's
# mirror and crates.io on the first run. Exits non-zero when the check fails.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
rust_version=1.95.0
# Debian's rust-src for exactly that compiler; bump both together.
rust_src_deb=1.95.0+dfsg1-2~bpo13+1
rust_src_suite=trixie-backports
debian_mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

cache=${STILLPOINT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stillpoint}/android-check
target_dir=$repo/target/android-check
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(aarch64-linux-android)

say() { printf '[check-android] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- The compiler: must be the version the std source is for. ----------------------------------------------------
cd "$repo"
version_line=$(rustc -V) || die "rustc not found (install Rust with rustup)"
case "$version_line" in
  "rustc $rust_version "*) ;;
  *) die "this check needs rustc $rust_version to match Debian's rust-src $rust_src_deb; found: $version_line" ;;
esac
sysroot=$(rustc --print sysroot)
host=$(rustc -vV | sed -n 's/^host: //p')
commit=$(rustc -vV | sed -n 's/^commit-hash: //p')
mkdir -p "$cache"

# --- The std source, from Debian's rust-src (cached, unpacked once). --------------------------------------------
src_root=$cache/rust-src-$rust_src_deb
if [ ! -f "$src_root/library/std/Cargo.toml" ] || [ ! -f "$src_root/library/Cargo.lock" ]; then
  for tool in apt-get dpkg-deb; do command -v "$tool" >/dev/null || die "needs $tool (Debian)"; done
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -f "$keyring" ] || die "$keyring is missing (package debian-archive-keyring)"
  say "downloading Debian's rust-src $rust_src_deb ($rust_src_suite) with a private apt configuration"
  apt_dir=$cache/apt
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$cache/debs"
  echo "deb [signed-by=$keyring] $debian_mirror $rust_src_suite main" > "$apt_dir/sources.list"
  # Only this folder's sources, lists and cache: the host's apt configuration and package state stay as they are.
  apt_opts=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
    -o APT::Sandbox::User="$(id -un)" -qq
  )
  apt-get "${apt_opts[@]}" update
  (cd "$cache/debs" && apt-get "${apt_opts[@]}" download "rust-src=$rust_src_deb")
  deb=$(ls "$cache/debs"/rust-src_*_all.deb)
  rm -rf "$cache"/unpack.*
  unpack=$(mktemp -d "$cache/unpack.XXXXXX")
  dpkg-deb -x "$deb" "$unpack"
  upstream=${rust_src_deb%%+*}
  [ -f "$unpack/usr/src/rustc-$upstream/library/std/Cargo.toml" ] || die "unexpected layout in $deb"
  rm -rf "$src_root"
  mkdir -p "$src_root"
  mv "$unpack/usr/src/rustc-$upstream/library" "$src_root/library"
  rm -rf "$unpack" "$deb"
fi

# --- A toolchain folder whose sysroot holds that source. ---------------------------------------------------------
# rustc finds its sysroot from where its own binary and librustc_driver are (symlinks resolved), so those are hard
# links (or copies on another file system); the host standard library is a symlink.
toolchain=$cache/toolchain-$rust_version
stamp="$sysroot $commit $src_root"
if [ "$(cat "$toolchain/.stamp" 2>/dev/null)" != "$stamp" ]; then
  say "making the toolchain folder $toolchain"
  rm -rf "$toolchain"
  mkdir -p "$toolchain/bin" "$toolchain/lib/rustlib/src/rust"
  link_or_copy() { ln -f "$1" "$2" 2>/dev/null || cp -f "$1" "$2"; }
  for tool in rustc cargo; do link_or_copy "$sysroot/bin/$tool" "$toolchain/bin/$tool"; done
  for lib in "$sysroot"/lib/*.so*; do link_or_copy "$lib" "$toolchain/lib/"; done
  ln -s "$sysroot/lib/rustlib/$host" "$toolchain/lib/rustlib/$host"
  ln -s "$src_root/library" "$toolchain/lib/rustlib/src/rust/library"
  [ "$("$toolchain/bin/rustc" --print sysroot)" = "$toolchain" ] || die "the toolchain folder's rustc has another sysroot"
  echo "$stamp" > "$toolchain/.stamp"
fi

# --- Stand-ins for the Android SDK's Java tools (see the top of this file). -------------------------------------
stub=$cache/sdk-stub
if [ ! -x "$stub/jdk/bin/java" ]; then
  mkdir -p "$stub/jdk/bin"
  : > "$stub/android.jar"
  : > "$stub/d8.jar"
  cat > "$stub/jdk/bin/javac" <<'EOF'
#!/bin/sh
# Stand-in javac for scripts/check-android.sh: reports a version, compiles nothing.
for arg in "$@"; do [ "$arg" = -version ] && { echo "javac 17.0.0"; exit 0; }; done
exit 0
EOF
  cat > "$stub/jdk/bin/java" <<'EOF'
#!/bin/sh
# Stand-in for `java -cp d8.jar com.android.tools.r8.D8 ... --output DIR`: writes an empty DIR/classes.dex.
out=
while [ $# -gt 0 ]; do
  [ "$1" = --output ] && { out=$2; shift; }
  shift
done
[ -n "$out" ] && : > "$out/classes.dex"
exit 0
EOF
  chmod +x "$stub/jdk/bin/javac" "$stub/jdk/bin/java"
fi

# --- The check. ----------------------------------------------------------------------------------------------------
status=0
for target in "${targets[@]}"; do
  say "cargo check --lib --target $target --no-default-features --features android"
  # Warnings fail the check, as clippy's do on the desktop build (dependencies' lints are capped by cargo).
  env -u RUSTC_WRAPPER -u CARGO_BUILD_RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS RUSTFLAGS="-D warnings" \
    PATH="$toolchain/bin:$PATH" RUSTC="$toolchain/bin/rustc" CARGO_TARGET_DIR="$target_dir" \
    RUSTC_BOOTSTRAP=1 DOCS_RS=1 \
    JAVA_HOME="$stub/jdk" ANDROID_JAR="$stub/android.jar" ANDROID_D8_JAR="$stub/d8.jar" \
    nice -n 19 "$toolchain/bin/cargo" check -Zbuild-std=std,panic_unwind --target "$target" --lib \
    --no-default-features --features android --locked || status=$?
  [ "$status" -eq 0 ] || break
done
exit "$status"
