"""What a query asks for below the current field, so resolvers load only what will be shown."""

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode


def requested_paths(info) -> frozenset[str]:
    """Dotted paths ("edges.node.attributes") of every field selected below the current one.

    Fragments and inline fragments are followed; @include/@skip are ignored, so a path may be
    loaded and then not shown, never the other way round.
    """
    paths: set[str] = set()
    for field_node in info.field_nodes:
        _collect(field_node.selection_set, "", info.fragments, paths)
    return frozenset(paths)


def _collect(selection_set, prefix: str, fragments, paths: set[str]) -> None:
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            path = prefix + selection.name.value
            paths.add(path)
            _collect(selection.selection_set, path + ".", fragments, paths)
        elif isinstance(selection, InlineFragmentNode):
            _collect(selection.selection_set, prefix, fragments, paths)
        elif isinstance(selection, FragmentSpreadNode):
            _collect(fragments[selection.name.value].selection_set, prefix, fragments, paths)


def below(paths: frozenset[str], prefix: str) -> frozenset[str]:
    """The paths under `prefix` ("edges.node"), with the prefix taken off."""
    start = prefix + "."
    return frozenset(path[len(start) :] for path in paths if path.startswith(start))
