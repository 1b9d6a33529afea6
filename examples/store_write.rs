//! Cost of registry-shaped writes in the store: `store_write DIR RECORDS BATCH`.
//! Each record: a 46-triple graph (public, so also in the default graph) + a 46-triple staff copy.
#![expect(clippy::print_stdout, reason = "a measurement tool")]
use danhmuc::store::{GraphChange, GraphInfo, GraphWrite, Store};
use oxigraph::model::{Literal, NamedNode, Triple};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let store = Store::open(std::path::Path::new(&args[1]))?;
    let records: usize = args[2].parse()?;
    let batch: usize = args[3].parse()?;
    let p = |i: usize| NamedNode::new_unchecked(format!("http://example.org/p{i}"));
    let start = Instant::now();
    let mut pending = Vec::new();
    for r in 0..records {
        let g = NamedNode::new_unchecked(format!("http://example.org/dataset/{r}"));
        let triples: Vec<Triple> = (0..46)
            .map(|i| Triple::new(g.clone(), p(i), Literal::new_simple_literal(format!("value {r} {i}"))))
            .collect();
        pending.push(GraphWrite {
            name: g.clone(),
            change: GraphChange::Replace(triples.clone()),
            registration: Some(GraphInfo::public()),
            content_hash: None,
        });
        pending.push(GraphWrite {
            name: NamedNode::new_unchecked(format!("urn:copy:{r}")),
            change: GraphChange::Replace(triples),
            registration: Some(GraphInfo::owned(danhmuc::store::Access::Staff, None)),
            content_hash: None,
        });
        if pending.len() >= 2 * batch {
            store.write(&pending)?;
            pending.clear();
        }
    }
    if !pending.is_empty() {
        store.write(&pending)?;
    }
    let elapsed = start.elapsed();
    println!(
        "{records} records, {batch} per transaction: {:.2} ms per record",
        elapsed.as_secs_f64() * 1e3 / records as f64
    );
    Ok(())
}
