"""Link each number to what it states: economy, partner, flow, indicator, measure, period.

The package: `linker.Linker` walks an article with a `state.DiscourseState`;
its concerns are split by concept (reading, lists, timing, fields).
"""
from .linker import Linker

__all__ = ["Linker"]
