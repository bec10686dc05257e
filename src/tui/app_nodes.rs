//! Lists to choose from by typing part of an id or label: sharing an existing fault-tree
//! node under a gate (how a tree reuses an event or a sub-tree, within itself or from
//! another tree), finding a node of a large tree in its outline, going to one of the events
//! that stand for a threat, and finding an element of the diagram.

use super::super::review;
use super::{App, Mode, NodeList, Screen};
use crate::model::{Component, Edit, Id, own_label, tree_ops};
use crossterm::event::{KeyCode, KeyEvent};

impl App {
    /// The choices the list offers whose id or label contains `filter` (ignoring case), with
    /// their labels (empty where the id says it all): the id typed whole first, then ids
    /// that begin with it (`e2` before `e210` and `e123`).
    pub fn node_choices(&self, purpose: &NodeList, filter: &str) -> Vec<(Id, String)> {
        let filter = filter.to_lowercase();
        let mut found: Vec<(Id, String)> = self
            .offered(purpose)
            .into_iter()
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

    /// Every choice of the list before narrowing, with its label.
    fn offered(&self, purpose: &NodeList) -> Vec<(Id, String)> {
        let labelled = |ids: Vec<Id>| {
            let nodes = self.model.fault_tree_nodes();
            ids.into_iter()
                .map(|id| {
                    let label = nodes
                        .get(&id)
                        .and_then(|n| own_label(n.label(), &id))
                        .unwrap_or_default()
                        .to_owned();
                    (id, label)
                })
                .collect()
        };
        match purpose {
            NodeList::Share { under } => labelled(tree_ops::shareable(&self.model, under)),
            NodeList::Find => labelled(self.tree_nodes()),
            NodeList::Events { threat } => self
                .model
                .events_for_threat(threat)
                .map(|(tree, e)| {
                    let label = match own_label(&e.label, &e.id) {
                        Some(l) => format!("{l}, in {}", self.model.fault_trees[tree].name),
                        None => format!("in {}", self.model.fault_trees[tree].name),
                    };
                    (e.id.clone(), label)
                })
                .collect(),
            NodeList::Element => self.elements(),
            NodeList::Target { source } => self
                .model
                .components
                .iter()
                .filter(|c| c.id != *source)
                .map(component_choice)
                .collect(),
        }
    }

    /// Every component, boundary and flow of the diagram, labelled with its name and kind.
    fn elements(&self) -> Vec<(Id, String)> {
        let m = &self.model;
        let name = |id: &Id| m.name_or_id(id.as_str());
        let components = m.components.iter().map(component_choice);
        let boundaries = m
            .boundaries
            .iter()
            .map(|b| (b.id.clone(), format!("{} — trust boundary", b.name)));
        let flows = m.flows.iter().map(|f| {
            let (from, to) = (name(&f.source), name(&f.target));
            let label = if f.label.is_empty() {
                format!("flow, {from} → {to}")
            } else {
                format!("{} — flow, {from} → {to}", f.label)
            };
            (f.id.clone(), label)
        });
        components.chain(boundaries).chain(flows).collect()
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
        let choices = self.node_choices(&purpose, &filter);
        let n = choices.len();
        let choice = match key.code {
            KeyCode::Esc => {
                self.mode = match purpose {
                    NodeList::Target { source } => Mode::Connect { source },
                    _ => Mode::Normal,
                };
                return;
            }
            KeyCode::Enter => {
                let Some((node, _)) = choices.into_iter().nth(choice) else {
                    self.message = purpose.nothing_matches().into();
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
                    NodeList::Events { threat } => {
                        self.mode = Mode::Normal;
                        self.go_to_event(&node, &threat);
                    }
                    NodeList::Element => {
                        self.mode = Mode::Normal;
                        self.screen = Screen::Diagram;
                        let name = self
                            .model
                            .name_of(node.as_str())
                            .filter(|n| !n.is_empty())
                            .unwrap_or(node.as_str());
                        self.message = format!("selected {name}");
                        self.select(Some(node));
                    }
                    NodeList::Target { source } => {
                        self.select(Some(node.clone()));
                        self.ask_flow_label(source, node);
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

    /// Shows event `event`, which stands for `threat`, in its tree's outline.
    pub(super) fn go_to_event(&mut self, event: &Id, threat: &Id) {
        let Some(tree) = self.model.tree_defining(event) else {
            return;
        };
        self.screen = Screen::FaultTrees;
        self.tree.tree = tree;
        self.reveal(event);
        self.message = format!("{event} stands for {threat} (T comes back)");
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

/// A component as a list offers it: its name and kind.
fn component_choice(c: &Component) -> (Id, String) {
    (c.id.clone(), format!("{} — {}", c.name, c.kind.label()))
}
