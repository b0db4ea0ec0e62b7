"""Relations after a change of household head (变更户主后的与户主关系): what each member most likely is to the new head.

Every member's 与户主关系 is stated against the head; when the head changes, the others still carry their relation
to the old one (the old head's wife is 配偶, the new head's sister 女). These functions only *suggest* the new
relation from the old ones, for the coordinator to confirm member by member against the 户口簿; they answer
``None`` where the old relations do not tell (a grandchild when the old head had several children here, the old
head's brother: the new head's uncle has no code).
"""

from __future__ import annotations

from collections.abc import Sequence

from pensiondesk.domain.codes import Relation, Sex

__all__ = ["old_head_becomes", "suggest_member_relations"]

_CHILDREN = frozenset({Relation.SON, Relation.DAUGHTER})


def _by_sex(sex: Sex | None, male: Relation, female: Relation) -> Relation | None:
    if sex is Sex.MALE:
        return male
    if sex is Sex.FEMALE:
        return female
    return None


def old_head_becomes(new_head_was: Relation | None, old_head_sex: Sex | None) -> Relation | None:
    """The old head's relation to the new head, from what the new head was to the old head (子 → 父母 …)."""
    if new_head_was in _CHILDREN:
        return Relation.PARENT
    if new_head_was in (Relation.SPOUSE, Relation.SIBLING):
        return new_head_was
    if new_head_was in (Relation.SON_IN_LAW, Relation.DAUGHTER_IN_LAW):
        return Relation.PARENT_IN_LAW
    if new_head_was is Relation.GRANDCHILD:
        return Relation.GRANDPARENT
    if new_head_was is Relation.GRANDPARENT:
        return Relation.GRANDCHILD
    if new_head_was is Relation.PARENT:
        return _by_sex(old_head_sex, Relation.SON, Relation.DAUGHTER)
    if new_head_was is Relation.PARENT_IN_LAW:
        return _by_sex(old_head_sex, Relation.SON_IN_LAW, Relation.DAUGHTER_IN_LAW)
    return None


def suggest_member_relations(
    new_head_was: Relation | None, members: Sequence[tuple[Relation | None, Sex | None]]
) -> list[Relation | None]:
    """For each other member (their relation to the old head, their sex): the likely relation to the new head.

    ``members`` leaves out the old and the new head. Only two common changes are worked out: the old head's child
    takes over (the old head's spouse becomes 父母, the other children 兄弟姐妹, the old head's parents 祖父母;
    the one daughter-in-law of the only son becomes his 配偶; grandchildren become 子/女 when the new head is the
    only child in the household), or the spouse takes over (children and in-laws keep their relation, the old
    head's parents become 公婆/岳父母 and the parents-in-law 父母).
    """
    relations = [relation for relation, _sex in members]
    if new_head_was in _CHILDREN:
        only_child = not any(relation in _CHILDREN for relation in relations)
        own_spouse = Relation.DAUGHTER_IN_LAW if new_head_was is Relation.SON else Relation.SON_IN_LAW
        spouse_is_clear = only_child and relations.count(own_spouse) == 1
        fixed = {
            Relation.SPOUSE: Relation.PARENT,
            Relation.SON: Relation.SIBLING,
            Relation.DAUGHTER: Relation.SIBLING,
            Relation.PARENT: Relation.GRANDPARENT,
            Relation.PARENT_IN_LAW: Relation.GRANDPARENT,
        }
        suggestions: list[Relation | None] = []
        for relation, sex in members:
            if relation is not None and relation in fixed:
                suggestions.append(fixed[relation])
            elif relation is own_spouse and spouse_is_clear:
                suggestions.append(Relation.SPOUSE)
            elif relation is Relation.GRANDCHILD and only_child:
                suggestions.append(_by_sex(sex, Relation.SON, Relation.DAUGHTER))
            else:
                suggestions.append(None)
        return suggestions
    if new_head_was is Relation.SPOUSE:
        kept = {
            Relation.SON,
            Relation.DAUGHTER,
            Relation.SON_IN_LAW,
            Relation.DAUGHTER_IN_LAW,
            Relation.GRANDCHILD,
        }
        swapped = {Relation.PARENT: Relation.PARENT_IN_LAW, Relation.PARENT_IN_LAW: Relation.PARENT}
        return [
            relation if relation in kept else swapped.get(relation) if relation is not None else None
            for relation, _sex in members
        ]
    return [None for _member in members]
