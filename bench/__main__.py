"""Run the benchmarks: `python -m bench [name …]`. Each prints its figures and a ratio against its baseline."""

import importlib
import sys

#: What `python -m bench` runs with no name. The city-scale ones are named to run: `iotcity` loads 130 million
#: readings (16 GB) and `web` a million cases and a topology behind nginx.
BENCHES = ["intake", "workbench", "iot", "insights", "firstrun"]


def main(argv: list[str]) -> None:
    names = argv or BENCHES
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}: {module.__doc__.strip().splitlines()[0]}")
        module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
