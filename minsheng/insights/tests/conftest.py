from minsheng.cases.tests.conftest import cw  # noqa: F401 - the case world the figures are told on
