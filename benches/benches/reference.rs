//! Reference parsing: `ParseNormalizedNamed` in both dialects, and the JSON answer of `vouch ref`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use vouch::{Dialect, Reference};
use vouch_benches::TYPICAL_REFERENCES;

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("reference/parse_normalized");
    for dialect in [Dialect::ContainersImage, Dialect::Distribution] {
        for input in TYPICAL_REFERENCES {
            group.bench_with_input(
                BenchmarkId::new(dialect.name(), input),
                input,
                |b, input| b.iter(|| Reference::parse_normalized_in(black_box(input), dialect)),
            );
        }
    }
    group.finish();
    let mut group = c.benchmark_group("reference/json_line");
    for input in TYPICAL_REFERENCES {
        group.bench_with_input(BenchmarkId::from_parameter(input), input, |b, input| {
            b.iter(|| {
                vouch::json::reference_line(black_box(input.as_bytes()), Dialect::ContainersImage)
                    .to_json()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
