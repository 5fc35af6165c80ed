//! The coverage matrices and referral pathways drawn from a partnership's services.

use super::*;

/// Counts of services in a grid of two vocabularies: `counts[row][column]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix<R, C> {
    pub rows: Vec<R>,
    pub columns: Vec<C>,
    pub counts: Vec<Vec<usize>>,
}

impl<R: PartialEq, C: PartialEq> Matrix<R, C> {
    fn empty(rows: &[R], columns: &[C]) -> Self
    where
        R: Clone,
        C: Clone,
    {
        Self {
            rows: rows.to_vec(),
            columns: columns.to_vec(),
            counts: vec![vec![0; columns.len()]; rows.len()],
        }
    }

    fn add(&mut self, row: &R, column: &C) {
        let r = self.rows.iter().position(|candidate| candidate == row);
        let c = self
            .columns
            .iter()
            .position(|candidate| candidate == column);
        if let (Some(r), Some(c)) = (r, c) {
            self.counts[r][c] += 1;
        }
    }

    /// The count in one cell (0 for a row or column not in the matrix).
    pub fn count(&self, row: &R, column: &C) -> usize {
        let r = self.rows.iter().position(|candidate| candidate == row);
        let c = self
            .columns
            .iter()
            .position(|candidate| candidate == column);
        match (r, c) {
            (Some(r), Some(c)) => self.counts[r][c],
            _ => 0,
        }
    }

    /// The largest count in any cell.
    pub fn max(&self) -> usize {
        self.counts.iter().flatten().copied().max().unwrap_or(0)
    }

    /// How dark to shade a cell in a heat map: 0 for no services, then 1 to 4 in
    /// proportion to the busiest cell. The number is always shown too, so shading is
    /// never the only way to read it.
    pub fn shade(&self, count: usize) -> usize {
        let max = self.max();
        if count == 0 || max == 0 {
            0
        } else {
            (count * 4).div_ceil(max).clamp(1, 4)
        }
    }
}

/// How many services there are at each tier of need for each age band.
pub fn coverage_tier_by_age(services: &[Service]) -> Matrix<Tier, Stage> {
    let mut matrix = Matrix::empty(Tier::ALL, Stage::ALL);
    for service in services {
        for stage in &service.stages {
            matrix.add(&service.tier, stage);
        }
    }
    matrix
}

/// How many services work at each ecological level on each framework element.
pub fn coverage_level_by_element(services: &[Service]) -> Matrix<EcoLevel, Element> {
    let mut matrix = Matrix::empty(EcoLevel::ALL, &Element::ALL);
    for service in services {
        for level in &service.levels {
            for element in &service.elements {
                matrix.add(level, element);
            }
        }
    }
    matrix
}

// ----- Referral pathways -----

/// Where a referral comes from: a service on the map (its index) or somewhere the map
/// does not hold (as written, such as "GP practices").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Referrer {
    Service(usize),
    Outside(String),
}

/// One referral route: families referred from `from` to the service at index `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRoute {
    pub from: Referrer,
    pub to: usize,
}

/// A map's referral routes, drawn from each service's "referred from" list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pathways {
    /// In the services' order, each service's sources in the order written.
    pub routes: Vec<ReferralRoute>,
    /// Sources not on the map, each once, in first-seen order.
    pub outside: Vec<String>,
    /// Services with no route in or out.
    pub unconnected: Vec<usize>,
    /// Groups of services that refer round in a loop (each group sorted; a service that
    /// lists itself is a loop of one). A loop is not wrong in itself (stepping up and
    /// down), but it is worth checking that families do not go round it without help.
    pub loops: Vec<Vec<usize>>,
}

impl Pathways {
    /// Whether the route runs between two services in the same loop.
    pub fn in_loop(&self, route: &ReferralRoute) -> bool {
        match route.from {
            Referrer::Service(from) => self
                .loops
                .iter()
                .any(|group| group.contains(&from) && group.contains(&route.to)),
            Referrer::Outside(_) => false,
        }
    }
}

/// Resolves each service's "referred from" entries to services on the map (by key, then by
/// name, ignoring case) or to outside sources, and finds the loops.
pub fn referral_pathways(services: &[Service]) -> Pathways {
    let find = |source: &str| {
        let wanted = source.to_lowercase();
        services
            .iter()
            .position(|s| s.key.to_lowercase() == wanted)
            .or_else(|| {
                services
                    .iter()
                    .position(|s| s.name.to_lowercase() == wanted)
            })
    };
    let mut pathways = Pathways::default();
    for (to, service) in services.iter().enumerate() {
        for source in &service.referral_from {
            let from = match find(source) {
                Some(index) => Referrer::Service(index),
                None => {
                    if !pathways
                        .outside
                        .iter()
                        .any(|o| o.eq_ignore_ascii_case(source))
                    {
                        pathways.outside.push(source.clone());
                    }
                    Referrer::Outside(source.clone())
                }
            };
            pathways.routes.push(ReferralRoute { from, to });
        }
    }
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); services.len()];
    let mut connected = vec![false; services.len()];
    for route in &pathways.routes {
        connected[route.to] = true;
        if let Referrer::Service(from) = route.from {
            connected[from] = true;
            if !next[from].contains(&route.to) {
                next[from].push(route.to);
            }
        }
    }
    pathways.unconnected = (0..services.len()).filter(|i| !connected[*i]).collect();
    // Which services each service can reach (iteratively, so long chains cannot overflow
    // the stack); two services are in one loop when each reaches the other.
    let reach: Vec<Vec<bool>> = (0..services.len())
        .map(|start| {
            let mut seen = vec![false; services.len()];
            let mut stack = next[start].clone();
            while let Some(at) = stack.pop() {
                if !seen[at] {
                    seen[at] = true;
                    stack.extend(next[at].iter().copied());
                }
            }
            seen
        })
        .collect();
    let mut placed = vec![false; services.len()];
    for i in 0..services.len() {
        if placed[i] || !reach[i][i] {
            continue;
        }
        let group: Vec<usize> = (i..services.len())
            .filter(|j| reach[i][*j] && reach[*j][i])
            .collect();
        for j in &group {
            placed[*j] = true;
        }
        pathways.loops.push(group);
    }
    pathways
}
