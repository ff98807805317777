"""The work report regenerates every figure of the source article: each one names a metric some domain registered."""

from minsheng.core import metrics
from minsheng.insights import article


def test_every_article_figure_is_computed_by_a_registered_metric():
    registered = {m.code for m in metrics.all_metrics()}
    unmapped = [str(label) for label, _printed, code in article.FIGURES if code not in registered]
    assert unmapped == []


def test_the_article_figures_are_listed_once():
    codes = [code for _label, _printed, code in article.FIGURES]
    assert len(codes) == len(set(codes))
