"""Run the cleaner's passes up to the main region, for tests of the later passes."""

from __future__ import annotations

from dataclasses import dataclass

from generator.ingest import load_rules
from generator.ingest.blocks import split_blocks
from generator.ingest.classify import classify
from generator.ingest.features import page_features
from generator.ingest.metadata import block_roles
from generator.ingest.region import main_region


@dataclass(frozen=True)
class Passes:
    rules: object
    blocks: tuple
    features: tuple
    roles: tuple
    first: tuple
    labels: tuple
    region: object


def run_passes(lines: list[str]) -> Passes:
    rules = load_rules()
    _, blocks = split_blocks("\n".join(lines), rules)
    features = page_features(blocks, rules)
    roles = block_roles(blocks, rules)
    first, labels = classify(features, roles, rules)
    return Passes(rules, blocks, features, roles, first, labels,
                  main_region(first, labels, features, roles, rules))
