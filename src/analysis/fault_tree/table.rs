//! The two tables every decision-diagram arena needs: a unique table (hash-consing) and a lossy
//! computed cache, both flat arrays, as in CUDD.

/// A decision-diagram node: `if var then hi else lo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub var: u32,
    pub hi: u32,
    pub lo: u32,
}

/// A 64-bit hash of three words; callers take its top bits.
#[inline]
fn mix(a: u32, b: u32, c: u32) -> u64 {
    let mut h = (u64::from(a) | (u64::from(b) << 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^= u64::from(c).wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
    h ^= h >> 31;
    h.wrapping_mul(0xbf58_476d_1ce4_e5b9)
}

/// A unique-table slot: a node's index beside the top 32 bits of its hash. Eight bytes, so the
/// table takes half the memory it would with the node's contents, and each growth half the
/// fresh pages (clearing them took the kernel a tenth of cea9601's compilation). The key
/// gives the slot at every table size, so growing never reads the arena; a lookup reads the
/// arena only on a key match, almost always the node sought. `id` 0 marks an empty slot.
#[derive(Clone, Copy)]
struct Slot {
    key: u32,
    id: u32,
}

const FREE: Slot = Slot { key: 0, id: 0 };

#[inline]
fn key(n: &Node) -> u32 {
    (mix(n.hi, n.lo, n.var) >> 32) as u32
}

/// Open-addressing table of node indices keyed by node contents. Terminals are never stored,
/// so no stored node has index 0.
#[derive(Clone)]
pub struct Unique {
    slots: Vec<Slot>,
    bits: u32,
}

impl Default for Unique {
    fn default() -> Self {
        Self::new()
    }
}

impl Unique {
    pub fn new() -> Self {
        Unique {
            slots: vec![FREE; 1 << 16],
            bits: 16,
        }
    }

    #[inline]
    fn home(&self, key: u32) -> usize {
        (key >> (32 - self.bits)) as usize
    }

    /// The node of `nodes` equal to `n`, or `None` and the slot to insert it in.
    #[inline]
    pub fn find(&self, nodes: &[Node], n: &Node) -> Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let k = key(n);
        let mut i = self.home(k);
        loop {
            let s = self.slots[i];
            if s.id == 0 {
                return Err(i);
            }
            if s.key == k && nodes[s.id as usize] == *n {
                return Ok(s.id);
            }
            i = (i + 1) & mask;
        }
    }

    /// Records node `id` (just pushed onto `nodes`) in `slot`; grows the table when three
    /// quarters full. Half full, the table was twice as large, and on the largest trees the
    /// fresh memory of each growth (the kernel clears every page) cost more than the longer
    /// probes save: cea9601 compiles about 10 % faster this way.
    #[inline]
    pub fn insert(&mut self, nodes: &[Node], slot: usize, id: u32) {
        self.slots[slot] = Slot {
            key: key(&nodes[id as usize]),
            id,
        };
        if nodes.len() * 4 > self.slots.len() * 3 {
            self.grow();
        }
    }

    /// Forgets the nodes from index `len` on (dropped from the arena). The table keeps its
    /// memory: a fresh one would cost page faults for every slot again.
    pub fn truncate(&mut self, len: usize) {
        let kept: Vec<Slot> = self
            .slots
            .iter()
            .filter(|s| s.id != 0 && (s.id as usize) < len)
            .copied()
            .collect();
        self.slots.fill(FREE);
        self.reinsert(kept);
    }

    /// Moves every node into a table twice as large. Slots are read in order, and a node's
    /// new slot is about its old one scaled, so both tables are walked almost sequentially:
    /// far quicker on a large table than inserting in node order.
    fn grow(&mut self) {
        self.bits += 1;
        let old = std::mem::replace(&mut self.slots, vec![FREE; 1 << self.bits]);
        self.reinsert(old.into_iter().filter(|s| s.id != 0));
    }

    /// Puts back slots taken from the table, in their old slot order. Each is a distinct
    /// node, so each goes to the first free slot from its home.
    fn reinsert(&mut self, slots: impl IntoIterator<Item = Slot>) {
        let mask = self.slots.len() - 1;
        for s in slots {
            let mut i = self.home(s.key);
            while self.slots[i].id != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }
}

/// 16 bytes, four to a cache line: `tag` packs the operation (top 4 bits) with its third
/// argument (an order limit, saturated to 28 bits).
#[derive(Clone, Copy)]
struct Entry {
    a: u32,
    b: u32,
    tag: u32,
    r: u32,
}

const EMPTY: Entry = Entry {
    a: 0,
    b: 0,
    tag: u32::MAX,
    r: 0,
};

#[inline]
fn tag(op: u32, c: u32) -> u32 {
    (op << 28) | c.min(0x0fff_fffe)
}

/// The largest cache: 2^24 entries, 256 MB.
const MAX_BITS: u32 = 24;

/// A lossy direct-mapped cache of operation results `op(a, b, c) = r`: a collision simply
/// forgets the older result.
pub struct Cache {
    entries: Vec<Entry>,
    bits: u32,
}

impl Default for Cache {
    fn default() -> Self {
        Self::new()
    }
}

impl Cache {
    pub fn new() -> Self {
        Cache {
            entries: vec![EMPTY; 1 << 16],
            bits: 16,
        }
    }

    #[inline]
    fn slot(&self, a: u32, b: u32, tag: u32) -> usize {
        (mix(a, b, tag) >> (64 - self.bits)) as usize
    }

    #[inline]
    pub fn get(&self, op: u32, a: u32, b: u32, c: u32) -> Option<u32> {
        let t = tag(op, c);
        let e = self.entries[self.slot(a, b, t)];
        (e.tag == t && e.a == a && e.b == b).then_some(e.r)
    }

    #[inline]
    pub fn put(&mut self, op: u32, a: u32, b: u32, c: u32, r: u32) {
        let t = tag(op, c);
        let i = self.slot(a, b, t);
        self.entries[i] = Entry { a, b, tag: t, r };
    }

    /// Empties the cache, growing it towards the arena's size (up to 2^24 entries).
    pub fn reset(&mut self, arena: usize) {
        self.bits = self
            .bits
            .max((usize::BITS - arena.leading_zeros()).clamp(16, MAX_BITS));
        self.entries.clear();
        self.entries.resize(1 << self.bits, EMPTY);
    }

    /// Grows the cache when the arena has outgrown it, at once to the arena's size (a fork of
    /// a large arena starts with a small cache), keeping what it holds: emptying it in the
    /// middle of a large operation would redo the parts already done. It grows in place, so
    /// only the added entries are fresh memory.
    pub fn fit(&mut self, arena: usize) {
        if arena <= 1 << self.bits || self.bits >= MAX_BITS {
            return;
        }
        let old = self.entries.len();
        self.bits = (usize::BITS - arena.leading_zeros()).min(MAX_BITS);
        self.entries.resize(1 << self.bits, EMPTY);
        // An entry in slot i moves into the block of slots the top bits i now begin; walking
        // down, each lands on a slot already moved or never used.
        for i in (0..old).rev() {
            let e = std::mem::replace(&mut self.entries[i], EMPTY);
            if e.tag != EMPTY.tag {
                let j = self.slot(e.a, e.b, e.tag);
                self.entries[j] = e;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_survive_growth_and_truncation_drops_only_the_newer() {
        let mut nodes = vec![Node {
            var: u32::MAX,
            hi: 0,
            lo: 0,
        }];
        let mut u = Unique::new();
        // Enough nodes for the table to double several times.
        for i in 1..300_000u32 {
            let n = Node {
                var: i % 97,
                hi: i / 3,
                lo: i,
            };
            let slot = u.find(&nodes, &n).expect_err("a new node");
            nodes.push(n);
            u.insert(&nodes, slot, i);
        }
        let keep = 123_457;
        u.truncate(keep);
        for (id, n) in nodes.iter().enumerate().skip(1) {
            let found = u.find(&nodes, n).ok();
            let expected = (id < keep).then_some(id as u32);
            assert_eq!(found, expected, "node {id}");
        }
    }

    #[test]
    fn cached_results_survive_growth() {
        let mut c = Cache::new();
        let key = |i: u32| (i * 7 + 1, i * 13 + 5, i % 3);
        for i in 0..100_000 {
            let (a, b, op) = key(i);
            c.put(op, a, b, i % 5, i);
        }
        // Collisions in the small cache lost some; growth may lose none of the rest.
        let held: Vec<u32> = (0..100_000)
            .filter(|&i| {
                let (a, b, op) = key(i);
                c.get(op, a, b, i % 5) == Some(i)
            })
            .collect();
        assert!(held.len() > 30_000, "{}", held.len());
        c.fit(1 << 20);
        assert_eq!(c.entries.len(), 1 << 21);
        for &i in &held {
            let (a, b, op) = key(i);
            assert_eq!(c.get(op, a, b, i % 5), Some(i), "entry {i}");
        }
    }
}
