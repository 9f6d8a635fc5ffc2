"""Folium elements rendered verbatim (not compiled again as Jinja)."""

from __future__ import annotations

from branca.element import Element
from folium.elements import MacroElement


class _Verbatim(Element):
    """Script text that the figure includes as it is.

    branca wraps every rendered script in Element(text), which compiles the text as a Jinja
    template: ~10 ms per rerun for the member JSON, and a trap for data containing "{{".
    """

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def _render_verbatim(element: MacroElement, kwargs: dict) -> None:
    """MacroElement.render without branca's Element(text): each rendered part is added to the
    figure as it is, so it is neither compiled as a template again (~0.4 ms a part, several
    parts a rerun) nor open to "{{" in the text. Plain MacroElement children get the same."""
    figure = element.get_root()
    macros = element._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = macros.get(part)
        if macro is not None:
            getattr(figure, part).add_child(_Verbatim(macro(element, kwargs)),
                                            name=element.get_name())
    for child in element._children.values():
        if type(child).render is MacroElement.render:
            _render_verbatim(child, kwargs)
        else:
            child.render(**kwargs)


class VerbatimParts(MacroElement):
    """Listed after a folium class in the bases, this lands just above MacroElement in the
    method order: folium's own render steps (links, includes, add-to-map) still run first."""

    def render(self, **kwargs) -> None:
        _render_verbatim(self, kwargs)
