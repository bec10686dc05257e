//! Lists of fault-tree nodes chosen by typing part of an id or label: sharing an existing
//! node under a gate (how a tree reuses an event or a sub-tree, within itself or from
//! another tree), and finding a node of a large tree in its outline.

use super::super::review;
use super::{App, Mode, NodeList};
use crate::model::{Edit, Id, own_label, tree_ops};
use crossterm::event::{KeyCode, KeyEvent};

impl App {
    /// The nodes the list offers whose id or label contains `filter` (ignoring case), with
    /// their labels (empty where the id says it all): the id typed whole first, then ids
    /// that begin with it (`e2` before `e210` and `e123`).
    pub fn node_choices(&self, purpose: &NodeList, filter: &str) -> Vec<(Id, String)> {
        let filter = filter.to_lowercase();
        let offered = match purpose {
            NodeList::Share { under } => tree_ops::shareable(&self.model, under),
            NodeList::Find => self.tree_nodes(),
        };
        let nodes = self.model.fault_tree_nodes();
        let mut found: Vec<(Id, String)> = offered
            .into_iter()
            .map(|id| {
                let label = nodes
                    .get(&id)
                    .and_then(|n| own_label(n.label(), &id))
                    .unwrap_or_default()
                    .to_owned();
                (id, label)
            })
            .filter(|(id, l)| {
                id.as_str().to_lowercase().contains(&filter) || l.to_lowercase().contains(&filter)
            })
            .collect();
        found.sort_by_key(|(id, _)| {
            let id = id.as_str().to_lowercase();
            (id != filter, !id.starts_with(&filter))
        });
        found
    }

    /// Every node of the current tree once, in the order of its unfolded outline.
    fn tree_nodes(&self) -> Vec<Id> {
        let mut seen = std::collections::HashSet::new();
        review::outline(&self.model, self.tree.tree, &Default::default())
            .into_iter()
            .filter(|r| seen.insert(r.id.clone()))
            .map(|r| r.id)
            .collect()
    }

    /// Typing narrows the list, the arrows choose, Enter takes the choice, Esc cancels.
    pub(super) fn nodes_key(
        &mut self,
        purpose: NodeList,
        mut filter: String,
        choice: usize,
        key: KeyEvent,
    ) {
        let n = self.node_choices(&purpose, &filter).len();
        let choice = match key.code {
            KeyCode::Esc => {
                self.mode = Mode::Normal;
                return;
            }
            KeyCode::Enter => {
                let chosen = self.node_choices(&purpose, &filter).into_iter().nth(choice);
                let Some((node, _)) = chosen else {
                    self.message = "no node matches".into();
                    return;
                };
                match purpose {
                    NodeList::Share { under } => {
                        match tree_ops::share(&self.model, &node, &under) {
                            Ok(edit) => {
                                self.share(edit, &node, &under);
                                self.mode = Mode::Normal;
                            }
                            Err(why) => self.message = why,
                        }
                    }
                    NodeList::Find => {
                        self.reveal(&node);
                        self.mode = Mode::Normal;
                    }
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
        self.mode = Mode::Nodes {
            purpose,
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

    /// Puts the cursor on `node` where the outline first shows it, unfolding the gates on the
    /// way there.
    pub(super) fn reveal(&mut self, node: &Id) {
        let full = review::outline(&self.model, self.tree.tree, &Default::default());
        let Some(at) = full.iter().position(|r| r.id == *node) else {
            return;
        };
        for r in review::ancestors(&full, at) {
            self.tree.folded.remove(&r.id);
        }
        // A fold elsewhere can move where a shared gate is developed: then nothing stays
        // folded.
        let rows = self.outline();
        self.tree.cursor = match rows.iter().position(|r| r.id == *node) {
            Some(i) => i,
            None => {
                self.tree.folded.clear();
                at
            }
        };
        self.message = format!("found {node}");
    }
}
