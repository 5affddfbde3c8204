//! Policies: parse + compile, and decisions, with 1, 100, 10k and 100k scopes.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use vouch::{CompileOptions, Evaluator, Evidence, Files, Image, Policy};
use vouch_benches::{BENCH_IMAGE, policy_with_scopes};

const SIZES: [usize; 4] = [1, 100, 10_000, 100_000];

fn compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("policy/parse_and_compile");
    group.sample_size(10);
    for scopes in SIZES {
        let document = policy_with_scopes(scopes);
        group.bench_with_input(BenchmarkId::from_parameter(scopes), &document, |b, d| {
            b.iter(|| {
                let policy = Policy::parse(black_box(d.as_bytes())).expect("valid");
                Evaluator::compile(&policy, &Files::new(), &CompileOptions::default())
            })
        });
    }
    group.finish();
}

fn evaluate(c: &mut Criterion) {
    let evidence = Evidence::default();
    let mut group = c.benchmark_group("policy/evaluate");
    for scopes in SIZES {
        let policy = Policy::parse(policy_with_scopes(scopes).as_bytes()).expect("valid");
        let evaluator = Evaluator::compile(&policy, &Files::new(), &CompileOptions::default());
        let image = Image::parse(vouch::Transport::Docker, BENCH_IMAGE).expect("image");
        assert!(evaluator.evaluate(&image, &evidence).allowed);
        group.bench_with_input(BenchmarkId::from_parameter(scopes), &evaluator, |b, e| {
            b.iter(|| e.evaluate(black_box(&image), &evidence).allowed)
        });
    }
    group.finish();
    // The whole decision from text: parse the reference, look up, evaluate.
    let mut group = c.benchmark_group("policy/decide_from_text");
    for scopes in [1, 100_000] {
        let policy = Policy::parse(policy_with_scopes(scopes).as_bytes()).expect("valid");
        let evaluator = Evaluator::compile(&policy, &Files::new(), &CompileOptions::default());
        group.bench_with_input(BenchmarkId::from_parameter(scopes), &evaluator, |b, e| {
            b.iter(|| {
                let image =
                    Image::parse(vouch::Transport::Docker, black_box(BENCH_IMAGE)).expect("image");
                e.evaluate(&image, &evidence).allowed
            })
        });
    }
    group.finish();
}

criterion_group!(benches, compile, evaluate);
criterion_main!(benches);
