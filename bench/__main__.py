"""Run the benchmarks: `python -m bench [name …]`. Each prints its figures and a ratio against its baseline."""

import importlib
import sys

BENCHES = ["intake", "workbench", "iot", "iotcity", "insights", "firstrun", "web"]


def main(argv: list[str]) -> None:
    names = argv or BENCHES
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}: {module.__doc__.strip().splitlines()[0]}")
        module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
