"""What a query asks for below the current field, so resolvers load only what will be shown."""

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode


def requested_paths(info) -> frozenset[str]:
    """Dotted paths ("edges.node.attributes") of every field selected below the current one.

    Fragments and inline fragments are followed; @include/@skip are ignored, so a path may be
    loaded and then not shown, never the other way round. Each fragment is walked once however
    often it is spread, so a document that spreads fragments inside fragments (F0 spreads F1
    twice, F1 spreads F2 twice, …) takes time in proportion to its length, not 2**depth.
    """
    fragment_paths: dict[str, frozenset[str]] = {}
    paths: set[str] = set()
    for field_node in info.field_nodes:
        if field_node.selection_set is not None:
            paths |= _paths(field_node.selection_set, info.fragments, fragment_paths)
    return frozenset(paths)


def _paths(selection_set, fragments, fragment_paths: dict[str, frozenset[str]]) -> frozenset[str]:
    paths: set[str] = set()
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            name = selection.name.value
            paths.add(name)
            if selection.selection_set is not None:
                start = name + "."
                paths.update(start + path for path in _paths(selection.selection_set, fragments, fragment_paths))
        elif isinstance(selection, InlineFragmentNode):
            paths |= _paths(selection.selection_set, fragments, fragment_paths)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in fragment_paths:
                # Validation refuses fragment cycles before any resolver runs, so this ends.
                fragment_paths[name] = _paths(fragments[name].selection_set, fragments, fragment_paths)
            paths |= fragment_paths[name]
    return frozenset(paths)


def below(paths: frozenset[str], prefix: str) -> frozenset[str]:
    """The paths under `prefix` ("edges.node"), with the prefix taken off."""
    start = prefix + "."
    return frozenset(path[len(start) :] for path in paths if path.startswith(start))
