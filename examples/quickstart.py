"""Quickstart: load the registry and show the report's model and part of the catalogue."""

from __future__ import annotations

import leercultuur as lc


def main() -> None:
    registry = lc.load_registry()
    print(f"leercultuur {lc.__version__}: {registry!r}\n")
    print("Leervormen (approaches):")
    for approach in lc.Approach:
        print(f"  {approach.value:<13} {approach.label.nl} / {approach.label.en}")
    for kind, title in [
        (lc.DimensionKind.CHARACTERISTIC, "Kenmerken (characteristics)"),
        (lc.DimensionKind.PRECONDITION, "Randvoorwaarden (preconditions)"),
    ]:
        print(f"\n{title}:")
        for dim in registry.dimensions.values():
            if dim.kind is kind:
                facets = f" [{', '.join(f.label.nl for f in dim.facets)}]" if dim.facets else ""
                print(f"  {dim.label.nl:<28} {dim.label.en}{facets}")
    print(f"\nCatalogue ({len(registry.interventions)} interventions), the first few:")
    for iv in list(registry.interventions.values())[:5]:
        approaches = ", ".join(a.label.nl for a in iv.approaches)
        print(
            f"  {iv.id:<32} {iv.name.nl} ({approaches}; evidence: {iv.evidence_level.name.lower()})"
        )


if __name__ == "__main__":
    main()
