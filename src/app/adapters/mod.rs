//! Glue between the Slint views and the controller: each view's callbacks call the controller through
//! [`App::update`], and `show` pushes the controller's view models into the view's global adapter.

mod aftercare;
mod editor;
mod history;
mod library;
mod screening;
mod session;
mod settings;
mod typed;

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::ui::{AppAdapter, Screen, Theme};
use super::{App, ScreenId, key_action};
use crate::app::KeyAction;
pub use editor::show_meter;

pub fn connect_all(app: &Rc<App>) {
    let weak = Rc::downgrade(app);
    app.window().global::<AppAdapter>().on_key(move |text| {
        let Some(app) = weak.upgrade() else { return false };
        let Some(action) = key_action(&text) else { return false };
        if action == KeyAction::Fullscreen {
            let window = app.window().window();
            window.set_fullscreen(!window.is_fullscreen());
            return true;
        }
        let mut handled = false;
        app.update(|c| handled = c.key(action));
        handled
    });
    library::connect(app);
    screening::connect(app);
    session::connect(app);
    aftercare::connect(app);
    settings::connect(app);
    history::connect(app);
    editor::connect(app);
    forward!(app, AppAdapter, on_dismiss_notice, || |c| c.dismiss_notices());
    forward!(app, AppAdapter, on_leave_kiosk, || |c| c.request_leave_kiosk());
    forward!(app, AppAdapter, on_answer_leave, |leave| |c| c.answer_leave(leave));
}

/// Draws the current screen (and the look and language every screen shares).
pub fn show(app: &App) {
    let controller = app.controller();
    let window = app.window();
    let settings = controller.settings();
    window.global::<Theme>().set_mode(typed::theme(settings.theme));
    window.global::<Theme>().set_kiosk(controller.is_kiosk());
    window.global::<AppAdapter>().set_kiosk(controller.is_kiosk());
    window.global::<AppAdapter>().set_confirm_leave(controller.confirm_leave());
    // Only on a change: selecting a translation re-evaluates every translated string of the window.
    thread_local! {
        static APPLIED: std::cell::Cell<&'static str> = const { std::cell::Cell::new("") };
    }
    let language = settings.language.effective();
    if APPLIED.with(|applied| applied.replace(language)) != language {
        // Falls back to the source language for anything not bundled; the error only lists what exists.
        let _ = slint::select_bundled_translation(language);
    }
    let screen = controller.screen();
    window.global::<AppAdapter>().set_screen(match screen {
        ScreenId::Library => Screen::Library,
        ScreenId::Screening => Screen::Screening,
        ScreenId::Session => Screen::Session,
        ScreenId::Aftercare => Screen::Aftercare,
        ScreenId::Settings => Screen::Settings,
        ScreenId::History => Screen::History,
        ScreenId::Editor => Screen::Editor,
    });
    window.global::<AppAdapter>().set_notice(shared(controller.notices().join("\n")));
    match screen {
        ScreenId::Library => library::show(window, &controller),
        ScreenId::Screening => screening::show(window, &controller),
        ScreenId::Session => session::show(window, &controller),
        ScreenId::Aftercare => aftercare::show(window, &controller),
        ScreenId::Settings => settings::show(window, &controller),
        ScreenId::History => history::show(window, &controller),
        ScreenId::Editor => editor::show(window, &controller),
    }
}

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

fn shared(text: impl AsRef<str>) -> SharedString {
    SharedString::from(text.as_ref())
}

/// Wires a view callback to a controller method: `forward!(app, Adapter, on_x, |args| |c| c.method(args))`.
macro_rules! forward {
    ($app:expr, $global:ty, $setter:ident, || $body:expr) => {
        forward!($app, $global, $setter, | | $body)
    };
    ($app:expr, $global:ty, $setter:ident, |$($arg:ident),*| $body:expr) => {{
        let weak = std::rc::Rc::downgrade($app);
        $app.window().global::<$global>().$setter(move |$($arg),*| {
            if let Some(app) = weak.upgrade() {
                app.update(|controller| {
                    let f: &dyn Fn(&mut crate::app::AppController) = &$body;
                    f(controller)
                });
            }
        });
    }};
}
pub(crate) use forward;
