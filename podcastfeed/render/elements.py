"""The one way the renderers add a namespaced child element (pure)."""

from __future__ import annotations

from lxml import etree


def sub(
    parent: etree._Element, ns: str, tag: str, content: str | None = None, **attrib: str | None
) -> etree._Element:
    """`<ns:tag attrib…>content</ns:tag>` under `parent`; attributes that are None are left out
    (in the order given, so the output is deterministic)."""
    element = etree.SubElement(
        parent, f"{{{ns}}}{tag}", {k: v for k, v in attrib.items() if v is not None}
    )
    if content is not None:
        element.text = content
    return element
