"""The work validating a document may cost, measured on the parsed document before
graphql-core validates it (schema/limits.py refuses what is over the limits).

graphql-core's OverlappingFieldsCanBeMergedRule compares every two fields that answer under
the same name at one place of the result (fragments spread, inline fragments flattened), and
then their sub-selections with each other: quadratic in the fields repeated at a place. 1,000
`viewer { role }` in a 13 KB document, well within the token limit, cost it 1-3 s of CPU.
Two figures bound that work:
- `fields`: the fields selected, each fragment's counted again at every spread (a spread
  counts one as well, so that fragments spreading fragments cannot multiply unseen);
- `overlaps`: the pairs of fields that share a response name at one place, which are the
  comparisons the rule makes.
Every operation and every fragment definition is measured (validation checks them all, even
operations the request does not run and fragments nobody spreads). The walk stops as soon as
a figure passes its maximum, so measuring costs at most that much whatever the document.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

# A selection set to merge at a place, with the fragments being spread around it (a spread
# of one of those closes a cycle, which validation refuses: it is not followed).
_Scoped = tuple[SelectionSetNode, frozenset[str]]
# Stands for a leaf field in a place's list: counted in the pairs, nothing below it to merge.
_LEAF: _Scoped = (SelectionSetNode(selections=()), frozenset())


@dataclass(frozen=True)
class ValidationWork:
    fields: int
    overlaps: int


def measure_validation_work(
    document: DocumentNode, *, max_fields: int, max_overlaps: int
) -> ValidationWork:
    """The document's figures, or the first to pass its maximum as far as it was counted (so
    that a flood is refused after counting little of it)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    places: list[list[_Scoped]] = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            places.append([(definition.selection_set, frozenset())])
        elif isinstance(definition, FragmentDefinitionNode):
            places.append([(definition.selection_set, frozenset({definition.name.value}))])
    fields = overlaps = 0
    # Iterative: nesting as deep as the parser allows cannot exhaust Python's recursion.
    while places:
        by_name: dict[str, list[_Scoped]] = {}
        pending = places.pop()
        while pending:
            selection_set, spreading = pending.pop()
            for node in selection_set.selections:
                if isinstance(node, FieldNode):
                    fields += 1
                    same_name = by_name.setdefault((node.alias or node.name).value, [])
                    overlaps += len(same_name)  # one more pair with each field before it
                    same_name.append(
                        _LEAF if node.selection_set is None else (node.selection_set, spreading)
                    )
                elif isinstance(node, InlineFragmentNode):
                    pending.append((node.selection_set, spreading))
                elif isinstance(node, FragmentSpreadNode):
                    fields += 1
                    name = node.name.value
                    fragment = fragments.get(name)
                    if fragment is not None and name not in spreading:
                        pending.append((fragment.selection_set, spreading | {name}))
                if fields > max_fields or overlaps > max_overlaps:
                    return ValidationWork(fields, overlaps)
        for same_name in by_name.values():
            nested = [scoped for scoped in same_name if scoped is not _LEAF]
            if nested:
                places.append(nested)
    return ValidationWork(fields, overlaps)
