//! Whatever keys a user presses, on any screen of any bundled model and at any terminal size,
//! the editor neither panics nor holds a model it could not save and open again.

mod common;
use common::tui::{app_with, bundled, screen};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;

/// Keys that do something somewhere: every letter and digit, with shift and ctrl, and the
/// keys that move, confirm and leave.
fn key() -> impl Strategy<Value = KeyEvent> {
    let code = prop_oneof![
        6 => (b'a'..=b'z').prop_map(|c| KeyCode::Char(c as char)),
        2 => (b'A'..=b'Z').prop_map(|c| KeyCode::Char(c as char)),
        1 => (b'0'..=b'9').prop_map(|c| KeyCode::Char(c as char)),
        1 => prop::sample::select(vec![' ', '/', ':', '?', ']', '[', '.', '-']).prop_map(KeyCode::Char),
        4 => prop::sample::select(vec![
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Tab,
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::F(2),
        ]),
    ];
    let modifiers = prop_oneof![
        8 => Just(KeyModifiers::NONE),
        1 => Just(KeyModifiers::CONTROL),
        1 => Just(KeyModifiers::SHIFT),
    ];
    (code, modifiers).prop_map(|(c, m)| KeyEvent::new(c, m))
}

const MODELS: [&str; 3] = [
    "serverless-webapp.ron",
    "iot-fleet.ron",
    "pressure-tank.ron",
];
const SIZES: [(u16, u16); 3] = [(120, 36), (80, 24), (50, 14)];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_keys_leave_a_valid_model_and_never_panic(
        model in 0..MODELS.len(),
        size in 0..SIZES.len(),
        keys in prop::collection::vec(key(), 1..250),
    ) {
        let mut app = app_with(bundled(MODELS[model]));
        let (w, h) = SIZES[size];
        screen(&mut app, w, h);
        for (i, k) in keys.iter().enumerate() {
            app.handle_key(*k);
            // Drawing is where a panic on a small or odd state would show.
            if i % 5 == 0 {
                screen(&mut app, w, h);
            }
            let problems = app.model.validate();
            prop_assert!(problems.is_empty(), "after {:?}: {:?}", &keys[..=i], problems);
        }
        screen(&mut app, w, h);
    }
}
