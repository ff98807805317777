#!/usr/bin/env python
import sys

from minsheng.cli import manage

if __name__ == "__main__":
    manage(sys.argv)
