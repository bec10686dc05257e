//! Sharing an existing fault-tree node under another gate: how a tree reuses an event or a
//! sub-tree, within itself or from another tree.

use super::{App, Mode};
use crate::model::{Edit, Id, tree_ops};
use crossterm::event::{KeyCode, KeyEvent};

impl App {
    /// The nodes that can go under `under` whose id or label contains `filter` (ignoring
    /// case), with their labels.
    pub fn share_choices(&self, under: &Id, filter: &str) -> Vec<(Id, String)> {
        let filter = filter.to_lowercase();
        let label = |id: &Id| -> String {
            self.model
                .fault_trees
                .iter()
                .find_map(|t| {
                    let gate = t.gates.iter().find(|g| g.id == *id).map(|g| &g.label);
                    let event = || t.events.iter().find(|e| e.id == *id).map(|e| &e.label);
                    let house = || {
                        t.house_events
                            .iter()
                            .find(|h| h.id == *id)
                            .map(|h| &h.label)
                    };
                    gate.or_else(event).or_else(house).cloned()
                })
                .unwrap_or_default()
        };
        tree_ops::shareable(&self.model, under)
            .into_iter()
            .map(|id| {
                let l = label(&id);
                (id, l)
            })
            .filter(|(id, l)| {
                id.as_str().to_lowercase().contains(&filter) || l.to_lowercase().contains(&filter)
            })
            .collect()
    }

    /// Typing narrows the list, the arrows choose, Enter shares the choice, Esc cancels.
    pub(super) fn share_key(
        &mut self,
        under: Id,
        mut filter: String,
        choice: usize,
        key: KeyEvent,
    ) {
        let n = self.share_choices(&under, &filter).len();
        let choice = match key.code {
            KeyCode::Esc => {
                self.mode = Mode::Normal;
                return;
            }
            KeyCode::Enter => {
                let chosen = self.share_choices(&under, &filter).into_iter().nth(choice);
                let Some((node, _)) = chosen else {
                    self.message = "no node matches".into();
                    return;
                };
                match tree_ops::share(&self.model, &node, &under) {
                    Ok(edit) => {
                        self.share(edit, &node, &under);
                        self.mode = Mode::Normal;
                    }
                    Err(why) => self.message = why,
                }
                return;
            }
            KeyCode::Up => (choice + n.max(1) - 1) % n.max(1),
            KeyCode::Down => (choice + 1) % n.max(1),
            KeyCode::Backspace => {
                filter.pop();
                0
            }
            KeyCode::Char(c) => {
                filter.push(c);
                0
            }
            _ => choice,
        };
        self.mode = Mode::Share {
            under,
            filter,
            choice,
        };
    }

    /// Applies a share and puts the cursor on the node in its new place.
    fn share(&mut self, edit: Edit, node: &Id, under: &Id) {
        self.edit(edit, None);
        self.tree.folded.remove(under);
        self.message = format!("{node} is now shared under {under} too");
        self.follow(node, under);
    }
}
