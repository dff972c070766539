//! Literal search over file text, shared by the content scanner and the
//! service detectors: which of many fixed strings a text holds, and where.
//!
//! aho-corasick's SIMD search (Teddy) sorts literals into 8 or 16 buckets
//! and tests each position against a fingerprint of their first bytes (as
//! many bytes as the set's shortest literal, up to four). With 64 literals
//! in one set almost every position of ordinary text passed a fingerprint
//! and had to be verified: the scan ran at 0.7 GB/s. Sets of at most 25,
//! with literals under four bytes kept apart so the others keep a
//! four-byte fingerprint, ran at over 2 GB/s together, one after the other.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

/// At most this many literals share one automaton.
pub const MAX_SET_LITERALS: usize = 25;

/// Literals shorter than this go to sets of their own.
pub const SHORT_LITERAL: usize = 4;

/// Several small automata over one list of literals.
pub struct LiteralSets {
    /// Each automaton with the position in `order` of its first literal.
    sets: Vec<(AhoCorasick, usize)>,
    /// The literals' indices in the caller's list, grouped by length.
    order: Vec<usize>,
}

impl std::fmt::Debug for LiteralSets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiteralSets")
            .field("sets", &self.set_sizes())
            .finish()
    }
}

impl LiteralSets {
    /// Builds the sets. A search reports, at every position where a literal
    /// starts, the longest literal starting there; one that is a prefix of a
    /// longer one at the same position is not reported, and a caller that
    /// needs it maps the longer one to it ([`covering`]).
    pub fn new<S: AsRef<str>>(list: &[S]) -> LiteralSets {
        let len = |i: usize| list[i].as_ref().len();
        let mut order: Vec<usize> = (0..list.len()).collect();
        order.sort_by_key(|&i| (len(i) >= SHORT_LITERAL, i));
        let kind = MatchKind::LeftmostLongest;
        let mut sets = Vec::new();
        let mut first = 0;
        while first < order.len() {
            let short = len(order[first]) < SHORT_LITERAL;
            let n = order[first..]
                .iter()
                .take(MAX_SET_LITERALS)
                .take_while(|&&i| (len(i) < SHORT_LITERAL) == short)
                .count();
            let lits: Vec<&str> = order[first..first + n]
                .iter()
                .map(|&i| list[i].as_ref())
                .collect();
            // Building fails only on absurd sizes; a set that fails is left
            // out, and the caller finds less rather than panics.
            let built = AhoCorasick::builder()
                .match_kind(kind)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&lits)
                .or_else(|_| AhoCorasick::builder().match_kind(kind).build(&lits));
            if let Ok(ac) = built {
                sets.push((ac, first));
            }
            first += n;
        }
        LiteralSets { sets, order }
    }

    /// How many literals each automaton holds, in search order.
    pub fn set_sizes(&self) -> Vec<usize> {
        self.sets.iter().map(|(ac, _)| ac.patterns_len()).collect()
    }

    /// Each set's literals, as indices in the list the sets were built from.
    pub fn set_literals(&self) -> Vec<Vec<usize>> {
        self.sets
            .iter()
            .map(|(ac, first)| self.order[*first..*first + ac.patterns_len()].to_vec())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Calls `hit(start, literal)` for each hit, set after set (not in
    /// text order); `literal` is the index in the list the sets were built
    /// from. After a hit the search goes on from the next byte, not past
    /// the hit, so a literal overlapping the end of another (`bull`, then
    /// `leveldb` in `bulleveldb`) is found too.
    pub fn for_each_hit(&self, hay: &[u8], mut hit: impl FnMut(usize, usize)) {
        self.for_each_hit_while(hay, |_, start, id| {
            hit(start, id);
            true
        });
    }

    /// [`Self::for_each_hit`] with the index of the set searched (as in
    /// [`Self::set_literals`]); `hit` returning `false` ends the search of
    /// that set. Within one set hits come in text order, so a caller that
    /// wants the first position of something can stop a set once its later
    /// hits cannot matter.
    pub fn for_each_hit_while(&self, hay: &[u8], mut hit: impl FnMut(usize, usize, usize) -> bool) {
        for (set, (ac, first)) in self.sets.iter().enumerate() {
            let mut at = 0;
            while at < hay.len() {
                let Ok(Some(m)) = ac.try_find(Input::new(hay).range(at..)) else {
                    break;
                };
                let id = self.order.get(first + m.pattern().as_usize());
                if !hit(set, m.start(), id.copied().unwrap_or(usize::MAX)) {
                    break;
                }
                at = m.start() + 1;
            }
        }
    }
}

thread_local! {
    /// Each walk thread's buffer for a file's lower-cased text.
    static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `f` over `text` with ASCII letters lower-cased, in a per-thread buffer:
/// searching that copy for lower-case literals with [`LiteralSets`] is an
/// ASCII case-insensitive search that keeps the SIMD prefilter, which a
/// case-insensitive automaton over many literals loses.
pub fn with_ascii_lowercase<R>(text: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    LOWER.with(|lower| {
        let mut lower = lower.borrow_mut();
        lower.clear();
        lower.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
        f(&lower)
    })
}

/// For each literal of `list`, its own `owners` entry joined with those of
/// every literal it contains: a search reports the longest literal at a
/// position, so that one stands for those inside it.
pub fn covering<T: Copy + std::ops::BitOr<Output = T>>(list: &[&str], owners: &[T]) -> Vec<T> {
    list.iter()
        .zip(owners)
        .map(|(outer, own)| {
            list.iter()
                .zip(owners)
                .filter(|(inner, _)| outer.contains(**inner))
                .fold(*own, |m, (_, o)| m | *o)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(sets: &LiteralSets, hay: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        sets.for_each_hit(hay.as_bytes(), |s, id| out.push((s, id)));
        out.sort_unstable();
        out
    }

    #[test]
    fn hits_name_literals_by_their_index_in_the_list() {
        let list = ["token", "sk-", "://", "password", "key"];
        let sets = LiteralSets::new(&list);
        assert_eq!(sets.set_sizes(), vec![3, 2], "short literals apart");
        assert_eq!(
            hits(&sets, "sk-x token=https://a password key"),
            vec![(0, 1), (5, 0), (16, 2), (21, 3), (30, 4)]
        );
    }

    #[test]
    fn sets_hold_at_most_the_limit() {
        let list: Vec<String> = (0..60).map(|i| format!("lit{i:03}")).collect();
        let sets = LiteralSets::new(&list);
        assert_eq!(sets.set_sizes(), vec![25, 25, 10]);
        assert_eq!(hits(&sets, "xx lit042 lit007"), vec![(3, 42), (10, 7)]);
    }

    #[test]
    fn literals_overlapping_the_end_of_a_hit_are_found() {
        let list = ["bull", "leveldb", "rpoplpush", "lpush"];
        let sets = LiteralSets::new(&list);
        assert_eq!(hits(&sets, "bulleveldb"), vec![(0, 0), (3, 1)]);
        // Inside a longer hit, after its start, a literal is found too.
        assert_eq!(hits(&sets, "brpoplpush"), vec![(1, 2), (5, 3)]);
    }

    #[test]
    fn covering_gives_a_literal_the_owners_of_those_inside_it() {
        let list = ["broker_url", "broker", "url"];
        assert_eq!(covering(&list, &[1u8, 2, 4]), vec![7, 2, 4]);
    }
}
