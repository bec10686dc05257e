//! Open-PSA MEF → model: fault trees, gates (nested formulas become named gates), basic and
//! house events, parameters and expressions, component scoping, several files at once.

use super::dom::{self, Document, Element};
use super::expr;
use crate::format::{Located, line_col};
use crate::model::{
    BasicEvent, Distribution, FaultTree, Gate, GateKind, HouseEvent, Id, Model, Probability,
    Problem, Site,
};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// SCRAM's default mission time, in hours.
pub const DEFAULT_MISSION_TIME: f64 = 8760.0;

#[derive(Clone)]
struct Def<'d> {
    doc: usize,
    el: &'d Element,
    /// The component path the element is defined in, e.g. `"t."`, for resolving its references.
    scope: String,
    /// The fault tree it is defined in; `None` for model data.
    tree: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Gate,
    Event,
    House,
}

#[derive(Default)]
struct Tables<'d> {
    gates: HashMap<String, Def<'d>>,
    events: HashMap<String, Def<'d>>,
    houses: HashMap<String, Def<'d>>,
    params: HashMap<String, Def<'d>>,
    /// Definition order of gates, events and house events: the output follows the files.
    order: Vec<(Kind, String)>,
    trees: Vec<(String, usize, &'d Element)>,
}

/// Reads one model spread over `files` (text already loaded), with the given mission time.
pub fn import(files: Vec<(PathBuf, String)>, mission_time: f64) -> Result<Model, Located> {
    let docs: Vec<Document> = files
        .into_iter()
        .map(|(p, t)| dom::parse(&p, t))
        .collect::<Result<_, _>>()?;
    let mut tables = Tables::default();
    for (i, doc) in docs.iter().enumerate() {
        if doc.root.name != "opsa-mef" {
            let message = format!("expected <opsa-mef>, found <{}>", doc.root.name);
            return Err(doc.error(&doc.root, message));
        }
        let mut c = Collector {
            docs: &docs,
            doc: i,
            t: &mut tables,
        };
        c.walk(&doc.root, "", None, false)?;
    }
    if tables.trees.is_empty() {
        return Err(docs[0].error(&docs[0].root, "no <define-fault-tree> found"));
    }
    Builder {
        docs: &docs,
        t: &tables,
        mission_time,
    }
    .build()
}

struct Collector<'a, 'd> {
    docs: &'d [Document],
    doc: usize,
    t: &'a mut Tables<'d>,
}

impl<'d> Collector<'_, 'd> {
    fn walk(
        &mut self,
        parent: &'d Element,
        scope: &str,
        tree: Option<usize>,
        private: bool,
    ) -> Result<(), Located> {
        let d = &self.docs[self.doc];
        for el in &parent.children {
            let name = el
                .attr("name")
                .ok_or_else(|| d.error(el, format!("<{}> needs a name attribute", el.name)));
            match el.name.as_str() {
                "define-fault-tree" => {
                    self.t.trees.push((name?.to_owned(), self.doc, el));
                    let index = self.t.trees.len() - 1;
                    self.walk(el, "", Some(index), false)?;
                }
                "model-data" => self.walk(el, "", None, false)?,
                "define-component" => {
                    let private = private || el.attr("role") == Some("private");
                    let inner = format!("{scope}{}.", name?);
                    self.walk(el, &inner, tree, private)?;
                }
                "define-gate" | "define-basic-event" | "define-house-event"
                | "define-parameter" => {
                    let name = name?;
                    self.define(el, name, scope, tree, private)?;
                }
                "label" | "attributes" => {}
                other => return Err(d.error(el, format!("unsupported element <{other}>"))),
            }
        }
        Ok(())
    }

    fn define(
        &mut self,
        el: &'d Element,
        name: &str,
        scope: &str,
        tree: Option<usize>,
        private: bool,
    ) -> Result<(), Located> {
        let full = format!("{scope}{name}");
        let (table, kind) = match el.name.as_str() {
            "define-gate" => (&mut self.t.gates, Some(Kind::Gate)),
            "define-basic-event" => (&mut self.t.events, Some(Kind::Event)),
            "define-house-event" => (&mut self.t.houses, Some(Kind::House)),
            _ => (&mut self.t.params, None),
        };
        let mut names = vec![full.clone()];
        // Public elements of a component are also visible by their plain name.
        if !private && !scope.is_empty() {
            names.push(name.to_owned());
        }
        for n in names {
            if let Some(first) = table.get(&n) {
                let (line, col) = line_col(&self.docs[first.doc].text, first.el.offset);
                let message =
                    format!("\"{n}\" is defined twice (first at line {line}, column {col})");
                return Err(self.docs[self.doc].error(el, message));
            }
            let def = Def {
                doc: self.doc,
                el,
                scope: scope.to_owned(),
                tree,
            };
            table.insert(n, def);
        }
        if let Some(kind) = kind {
            self.t.order.push((kind, full));
        }
        Ok(())
    }
}

/// Elements that describe rather than define: skipped where a formula or expression is read.
fn is_meta(el: &Element) -> bool {
    matches!(el.name.as_str(), "label" | "attributes")
}

fn content(el: &Element) -> impl Iterator<Item = &Element> {
    el.children.iter().filter(|c| !is_meta(c))
}

fn label(el: &Element) -> String {
    el.children_named("label")
        .next()
        .map(|l| l.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn attribute<'e>(el: &'e Element, name: &str) -> Option<&'e str> {
    el.children_named("attributes")
        .flat_map(|a| a.children_named("attribute"))
        .find(|a| a.attr("name") == Some(name))
        .and_then(|a| a.attr("value"))
}

fn flavor(el: &Element) -> Option<&str> {
    attribute(el, "flavor")
}

struct Builder<'a, 'd> {
    docs: &'d [Document],
    t: &'a Tables<'d>,
    mission_time: f64,
}

/// Which tree each output element goes to, and the tree's content being built.
struct Output {
    trees: Vec<FaultTree>,
    referenced: HashSet<String>,
}

/// Where in `files` a problem of the imported model is: the `name="…"` of the element that
/// defines it (its full id, else its name within its component), or the first file's start.
pub fn locate(files: &[(PathBuf, String)], p: &Problem) -> Located {
    let id = match &p.site {
        Site::Element { id, .. } => id.as_str(),
        Site::Field(_) => "",
    };
    let short = id.rsplit('.').next().unwrap_or(id);
    let defined = |text: &str, name: &str| {
        let quoted = format!("name=\"{name}\"");
        text.match_indices(&quoted)
            .find(|(i, _)| {
                let tag = &text[text[..*i].rfind('<').unwrap_or(0)..*i];
                tag.starts_with("<define-")
            })
            .map(|(i, _)| line_col(text, text[..i].rfind('<').unwrap_or(i)))
    };
    let found = [id, short]
        .into_iter()
        .filter(|name| !name.is_empty())
        .find_map(|name| {
            files
                .iter()
                .find_map(|(path, text)| defined(text, name).map(|at| (path, at)))
        });
    let (path, (line, col)) = found.unwrap_or((&files[0].0, (1, 1)));
    Located {
        path: path.clone(),
        line,
        col,
        message: p.message.clone(),
    }
}

impl Builder<'_, '_> {
    fn err(&self, def: &Def<'_>, message: impl Into<String>) -> Located {
        self.docs[def.doc].error(def.el, message)
    }

    /// Resolves a reference made from inside `scope`: innermost component first, then outwards.
    fn resolve<'t>(
        &self,
        table: &'t HashMap<String, Def<'_>>,
        name: &str,
        scope: &str,
    ) -> Option<(String, &'t Def<'t>)>
    where
        Self: 't,
    {
        let mut prefix = scope;
        loop {
            let candidate = format!("{prefix}{name}");
            if let Some(d) = table.get(&candidate) {
                return Some((canonical(d), d));
            }
            if prefix.is_empty() {
                return None;
            }
            let trimmed = &prefix[..prefix.len() - 1];
            prefix = trimmed.rfind('.').map_or("", |i| &prefix[..=i]);
        }
    }

    fn build(&self) -> Result<Model, Located> {
        let mut out = Output {
            trees: Vec::new(),
            referenced: HashSet::new(),
        };
        let gate_ids: HashSet<&str> = self.t.gates.keys().map(String::as_str).collect();
        for (name, _, el) in &self.t.trees {
            let mut id = name.clone();
            if gate_ids.contains(id.as_str())
                || self.t.events.contains_key(&id)
                || self.t.houses.contains_key(&id)
            {
                id.push_str("-tree");
            }
            let title = label(el);
            out.trees.push(FaultTree {
                id: Id(id),
                name: if title.is_empty() {
                    name.clone()
                } else {
                    title
                },
                description: attribute(el, "description").unwrap_or_default().to_owned(),
                top: Id::new(""),
                gates: Vec::new(),
                events: Vec::new(),
                house_events: Vec::new(),
            });
        }
        // Gates first: they tell which tree uses which model-data event.
        let mut home: HashMap<String, usize> = HashMap::new();
        for (kind, full) in &self.t.order {
            if *kind != Kind::Gate {
                continue;
            }
            let def = &self.t.gates[full];
            let tree = def.tree.unwrap_or(0);
            let mut gates = Vec::new();
            let formula = content(def.el)
                .next()
                .ok_or_else(|| self.err(def, format!("gate \"{full}\" has no formula")))?;
            self.formula(
                def,
                full.clone(),
                label(def.el),
                flavor(def.el),
                formula,
                &mut gates,
                &mut |id| {
                    home.entry(id.to_owned()).or_insert(tree);
                },
            )?;
            for g in &gates {
                out.referenced.extend(g.inputs.iter().map(|i| i.0.clone()));
            }
            out.trees[tree].gates.extend(gates);
        }
        for (kind, full) in &self.t.order {
            match kind {
                Kind::Gate => {}
                Kind::Event => {
                    let def = &self.t.events[full];
                    let tree = def.tree.or_else(|| home.get(full).copied()).unwrap_or(0);
                    let event = self.basic_event(def, full)?;
                    out.trees[tree].events.push(event);
                }
                Kind::House => {
                    let def = &self.t.houses[full];
                    let tree = def.tree.or_else(|| home.get(full).copied()).unwrap_or(0);
                    let state = match content(def.el).next() {
                        None => false,
                        Some(c) if c.name == "constant" => match c.attr("value") {
                            Some("true") => true,
                            Some("false") | None => false,
                            Some(v) => {
                                return Err(self.docs[def.doc]
                                    .error(c, format!("expected true or false, found \"{v}\"")));
                            }
                        },
                        Some(c) => {
                            return Err(self.docs[def.doc]
                                .error(c, format!("expected <constant>, found <{}>", c.name)));
                        }
                    };
                    out.trees[tree].house_events.push(HouseEvent {
                        id: Id(full.clone()),
                        label: label(def.el),
                        state,
                    });
                }
            }
        }
        for (i, tree) in out.trees.iter_mut().enumerate() {
            let root = tree
                .gates
                .iter()
                .find(|g| !out.referenced.contains(g.id.as_str()) && !g.id.as_str().contains('/'))
                .or_else(|| tree.gates.first())
                .map(|g| g.id.clone());
            match root {
                Some(r) => tree.top = r,
                None => {
                    let (_, doc, el) = &self.t.trees[i];
                    return Err(self.docs[*doc]
                        .error(el, format!("fault tree \"{}\" has no gate", tree.name)));
                }
            }
        }
        let name = if out.trees.len() == 1 {
            out.trees[0].name.clone()
        } else {
            self.docs[0]
                .path
                .file_stem()
                .map_or("Imported model".into(), |s| {
                    s.to_string_lossy().into_owned()
                })
        };
        let mut model = Model::new(&name);
        model.fault_trees = out.trees;
        Ok(model)
    }

    /// Turns a formula into `id` plus one named gate per nested formula, appended to `gates`.
    #[allow(clippy::too_many_arguments)]
    fn formula(
        &self,
        def: &Def<'_>,
        id: String,
        label: String,
        flavor: Option<&str>,
        f: &Element,
        gates: &mut Vec<Gate>,
        used_event: &mut dyn FnMut(&str),
    ) -> Result<(), Located> {
        let d = &self.docs[def.doc];
        let kind = match f.name.as_str() {
            "and" if flavor == Some("inhibit") => GateKind::Inhibit,
            "and" => GateKind::And,
            "or" => GateKind::Or,
            "not" => GateKind::Not,
            "xor" => GateKind::Xor,
            "nand" => GateKind::Nand,
            "nor" => GateKind::Nor,
            "null" => GateKind::Null,
            "atleast" => {
                let k = f
                    .attr("min")
                    .and_then(|m| m.parse::<u32>().ok())
                    .ok_or_else(|| d.error(f, "<atleast> needs a whole-number min attribute"))?;
                GateKind::Vote(k)
            }
            // A bare reference as the whole formula: a pass-through gate.
            "gate" | "basic-event" | "house-event" | "event" => {
                let input = self.reference(def, f, used_event)?;
                gates.push(Gate {
                    id: Id(id),
                    label,
                    kind: GateKind::Null,
                    inputs: vec![input],
                });
                return Ok(());
            }
            other => return Err(d.error(f, format!("unsupported formula <{other}>"))),
        };
        let index = gates.len();
        gates.push(Gate {
            id: Id(id.clone()),
            label,
            kind,
            inputs: Vec::new(),
        });
        let mut inputs = Vec::new();
        let mut nested = 0;
        for arg in content(f) {
            match arg.name.as_str() {
                "gate" | "basic-event" | "house-event" | "event" => {
                    inputs.push(self.reference(def, arg, used_event)?);
                }
                _ => {
                    nested += 1;
                    let sub = format!("{id}/{nested}");
                    inputs.push(Id(sub.clone()));
                    self.formula(def, sub, String::new(), None, arg, gates, used_event)?;
                }
            }
        }
        gates[index].inputs = inputs;
        Ok(())
    }

    fn reference(
        &self,
        def: &Def<'_>,
        r: &Element,
        used_event: &mut dyn FnMut(&str),
    ) -> Result<Id, Located> {
        let d = &self.docs[def.doc];
        let name = r
            .attr("name")
            .ok_or_else(|| d.error(r, format!("<{}> needs a name", r.name)))?;
        let tables: &[(&HashMap<String, Def<'_>>, &str)] = match r.name.as_str() {
            "gate" => &[(&self.t.gates, "gate")],
            "basic-event" => &[(&self.t.events, "basic event")],
            "house-event" => &[(&self.t.houses, "house event")],
            _ => &[
                (&self.t.gates, "gate"),
                (&self.t.events, "basic event"),
                (&self.t.houses, "house event"),
            ],
        };
        for (table, _) in tables {
            if let Some((full, _)) = self.resolve(table, name, &def.scope) {
                used_event(&full);
                return Ok(Id(full));
            }
        }
        let what: Vec<&str> = tables.iter().map(|(_, w)| *w).collect();
        Err(d.error(r, format!("undefined {} \"{name}\"", what.join(" or "))))
    }

    fn basic_event(&self, def: &Def<'_>, full: &str) -> Result<BasicEvent, Located> {
        let e = content(def.el)
            .next()
            .ok_or_else(|| self.err(def, format!("basic event \"{full}\" has no probability")))?;
        let args: Vec<&Element> = content(e).collect();
        let probability = if e.name == "exponential" && args.len() == 2 {
            Probability::Rate {
                lambda: self.eval(def, args[0], 0)?,
                mission_time: self.eval(def, args[1], 0)?,
            }
        } else {
            Probability::Fixed(self.eval(def, e, 0)?)
        };
        let uncertainty = match attribute(def.el, "uncertainty") {
            Some(text) => Some(Distribution::parse(text).ok_or_else(|| {
                self.err(def, format!("unreadable uncertainty attribute \"{text}\""))
            })?),
            None => self.distribution(def, e)?,
        };
        Ok(BasicEvent {
            id: Id(full.to_owned()),
            label: label(def.el),
            probability,
            uncertainty,
        })
    }

    /// A deviate used directly as an event's probability becomes its uncertainty distribution.
    fn distribution(&self, def: &Def<'_>, e: &Element) -> Result<Option<Distribution>, Located> {
        let args: Vec<f64> = content(e)
            .map(|a| self.eval(def, a, 0))
            .collect::<Result<_, _>>()?;
        Ok(match (e.name.as_str(), args.as_slice()) {
            ("lognormal-deviate", [mean, ef, rest @ ..]) => {
                let sigma = expr::lognormal_sigma(*ef, rest.first().copied().unwrap_or(0.95));
                Some(Distribution::Lognormal {
                    median: mean * (-sigma * sigma / 2.0).exp(),
                    error_factor: (sigma * expr::normal_quantile(0.95)).exp(),
                })
            }
            ("uniform-deviate", [low, high]) => Some(Distribution::Uniform {
                low: *low,
                high: *high,
            }),
            ("beta-deviate", [alpha, beta]) => Some(Distribution::Beta {
                alpha: *alpha,
                beta: *beta,
            }),
            _ => None,
        })
    }

    /// The point value of an expression (deviates at their mean).
    fn eval(&self, def: &Def<'_>, e: &Element, depth: usize) -> Result<f64, Located> {
        let d = &self.docs[def.doc];
        if depth > 64 {
            return Err(d.error(e, "parameters refer to each other in a cycle"));
        }
        let number = |attr: &str| -> Result<f64, Located> {
            e.attr(attr)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .ok_or_else(|| d.error(e, format!("<{}> needs a numeric {attr} attribute", e.name)))
        };
        let args: Vec<f64> = match e.name.as_str() {
            "float" | "int" => return number("value"),
            "bool" => {
                return Ok(if e.attr("value") == Some("true") {
                    1.0
                } else {
                    0.0
                });
            }
            "pi" => return Ok(std::f64::consts::PI),
            "system-mission-time" => return Ok(self.mission_time),
            "parameter" => {
                let name = e
                    .attr("name")
                    .ok_or_else(|| d.error(e, "<parameter> needs a name"))?;
                let (_, p) = self
                    .resolve(&self.t.params, name, &def.scope)
                    .ok_or_else(|| d.error(e, format!("undefined parameter \"{name}\"")))?;
                let value = content(p.el)
                    .next()
                    .ok_or_else(|| self.err(p, format!("parameter \"{name}\" has no value")))?;
                return self.eval(p, value, depth + 1);
            }
            _ => content(e)
                .map(|a| self.eval(def, a, depth + 1))
                .collect::<Result<_, _>>()?,
        };
        let arity = |n: usize| -> Result<(), Located> {
            if args.len() == n {
                Ok(())
            } else {
                Err(d.error(
                    e,
                    format!("<{}> takes {n} arguments, has {}", e.name, args.len()),
                ))
            }
        };
        let value = match e.name.as_str() {
            "exponential" => {
                arity(2)?;
                expr::exponential(args[0], args[1])
            }
            "GLM" => {
                arity(4)?;
                expr::glm(args[0], args[1], args[2], args[3])
            }
            "Weibull" => {
                arity(4)?;
                expr::weibull(args[0], args[1], args[2], args[3])
            }
            "periodic-test" => {
                arity(4)?;
                expr::periodic_test(args[0], args[1], args[2], args[3])
            }
            "add" => args.iter().sum(),
            "mul" => args.iter().product(),
            "sub" if !args.is_empty() => args[0] - args[1..].iter().sum::<f64>(),
            "div" if !args.is_empty() => args[1..].iter().fold(args[0], |a, b| a / b),
            "neg" => {
                arity(1)?;
                -args[0]
            }
            "exp" => {
                arity(1)?;
                args[0].exp()
            }
            "log" => {
                arity(1)?;
                args[0].ln()
            }
            "pow" => {
                arity(2)?;
                args[0].powf(args[1])
            }
            "min" if !args.is_empty() => args.iter().copied().fold(f64::INFINITY, f64::min),
            "max" if !args.is_empty() => args.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            "mean" if !args.is_empty() => args.iter().sum::<f64>() / args.len() as f64,
            "lognormal-deviate" | "normal-deviate" if !args.is_empty() => args[0],
            "uniform-deviate" => {
                arity(2)?;
                (args[0] + args[1]) / 2.0
            }
            "beta-deviate" => {
                arity(2)?;
                args[0] / (args[0] + args[1])
            }
            "gamma-deviate" => {
                arity(2)?;
                args[0] * args[1]
            }
            other => return Err(d.error(e, format!("unsupported expression <{other}>"))),
        };
        Ok(value)
    }
}

/// The id an element is known by in the output: its full component path.
fn canonical(def: &Def<'_>) -> String {
    let name = def.el.attr("name").unwrap_or_default();
    format!("{}{name}", def.scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(id: &str) -> Problem {
        Problem {
            site: Site::Element {
                id: Id::new(id),
                nth: 0,
            },
            message: "wrong".into(),
        }
    }

    #[test]
    fn a_problem_is_located_at_the_definition_in_whichever_file_holds_it() {
        let files = vec![
            (
                PathBuf::from("tree.xml"),
                "<opsa-mef>\n<define-gate name=\"g\">\n<gate name=\"pump\"/>\n</define-gate>"
                    .to_owned(),
            ),
            (
                PathBuf::from("data.xml"),
                "<model-data>\n<component name=\"c\">\n  <define-basic-event name=\"pump\">"
                    .to_owned(),
            ),
        ];
        let at = |id: &str| {
            let l = locate(&files, &problem(id));
            format!("{}:{}:{}", l.path.display(), l.line, l.col)
        };
        // A reference is not a definition: the event is defined in the second file.
        assert_eq!(at("pump"), "data.xml:3:3");
        // A component's element, by its name within the component.
        assert_eq!(at("c.pump"), "data.xml:3:3");
        assert_eq!(at("g"), "tree.xml:2:1");
        // A gate made up for a nested formula is in no file: the first one's start.
        assert_eq!(at("nowhere"), "tree.xml:1:1");
    }
}
