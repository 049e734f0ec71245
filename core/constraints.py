"""``Model.full_clean`` for many rows at once, without a query per row.

Django checks each ``CheckConstraint`` with a ``SELECT`` (inside a savepoint
when a transaction is open) and each unique field or constraint with an
``EXISTS`` query: a dozen queries for every row of an import. Here the same
checks run in Python:

- check constraints are evaluated by ``condition_holds`` with the SQL meaning
  of ``Q.check`` (three-valued logic; an unknown result passes, as it does in
  the database, which tests ``COALESCE(condition, true)``);
- unique fields and unique constraints are answered from ``taken``, the values
  the caller loaded once for the whole batch (value -> primary key of the row
  that has it);
- anything neither can answer (a lookup or expression not listed below, a
  unique check without a ``taken`` map) falls back to Django's own query, so
  the result is always the one ``full_clean`` gives.

Errors, their codes, messages and the fields they are filed under are those
of ``full_clean``. The database constraints stay the final guard.
"""

import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldError, ValidationError
from django.db import models
from django.db.models import F, Q


class Unsupported(Exception):
    """The condition uses something ``condition_holds`` does not evaluate."""


_COMPARISONS = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


Evaluator = Callable[[Mapping[str, Any]], "bool | None"]


def _and(results) -> bool | None:
    return False if False in results else (None if None in results else True)


def _or(results) -> bool | None:
    return True if True in results else (None if None in results else False)


def _test(lookup: str, rhs: Any) -> Callable[[Any, Any], bool]:
    """The Python test of one lookup against a non-null value (SQL gives NULL for null)."""
    if lookup == "exact":
        return operator.eq
    if lookup in _COMPARISONS:
        return _COMPARISONS[lookup]
    if lookup == "in" and not isinstance(rhs, F):
        options = [option for option in rhs if option is not None]
        if options:
            return lambda lhs, _rhs: lhs in options
    if lookup == "regex" and isinstance(rhs, str):
        pattern = re.compile(rhs)

        def search(lhs, _rhs):
            if not isinstance(lhs, str) or "\n" in lhs:
                raise Unsupported(lookup)  # where Python's $ and the database's differ
            return pattern.search(lhs) is not None

        return search
    raise Unsupported(lookup)


def _compile_lookup(name: str, rhs: Any) -> tuple[frozenset, Evaluator]:
    field, _sep, lookup = name.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup or (hasattr(rhs, "resolve_expression") and not isinstance(rhs, F)):
        raise Unsupported(name)
    other = rhs.name if isinstance(rhs, F) else None
    refs = frozenset({field, other} - {None})
    if lookup == "exact" and rhs is None:
        lookup, rhs = "isnull", True
    if lookup == "isnull":
        if other:
            raise Unsupported(name)
        return refs, lambda values: (values[field] is None) == bool(rhs)
    test = _test(lookup, rhs)

    def evaluate(values):
        lhs, right = values[field], (values[other] if other else rhs)
        if lhs is None or right is None:
            return None
        try:
            return test(lhs, right)
        except TypeError as error:
            raise Unsupported(name) from error

    return refs, evaluate


def _compile(node: Any) -> tuple[frozenset, Evaluator]:
    """The fields ``node`` reads and a function giving its SQL truth value (None: unknown)."""
    if not isinstance(node, Q):
        if isinstance(node, tuple) and len(node) == 2:
            return _compile_lookup(*node)
        raise Unsupported(repr(node))
    if node.connector not in (Q.AND, Q.OR):
        raise Unsupported(node.connector)
    compiled = [_compile(child) for child in node.children]
    refs = frozenset().union(*(child_refs for child_refs, _f in compiled))
    combine = _and if node.connector == Q.AND else _or
    children = [evaluate for _refs, evaluate in compiled]

    def evaluate(values):
        value = combine([child(values) for child in children])
        return (None if value is None else not value) if node.negated else value

    return refs, evaluate


_COMPILED: dict[int, tuple] = {}


def _compiled(condition: Q) -> tuple[frozenset, Evaluator]:
    """``_compile`` once per condition (constraints live as long as their model)."""
    entry = _COMPILED.get(id(condition))
    if entry is None or entry[0] is not condition:
        try:
            entry = (condition, _compile(condition), None)
        except Unsupported as error:
            entry = (condition, None, error)
        _COMPILED[id(condition)] = entry
    if entry[2] is not None:
        raise entry[2]
    return entry[1]


def condition_holds(condition: Q, values: Mapping[str, Any]) -> bool:
    """True unless ``condition`` is false for ``values`` (field name -> value), as in SQL.

    Raises ``FieldError`` when it names a field missing from ``values`` (Django
    then skips the constraint) and ``Unsupported`` when it cannot be evaluated here.
    """
    refs, evaluate = _compiled(condition)
    missing = [name for name in refs if name not in values]
    if missing:
        raise FieldError(f"{sorted(missing)} are not among the values")
    return evaluate(values) is not False


class _FieldValues(Mapping):
    """The values ``Model._get_field_expression_map`` offers a constraint, unwrapped,
    read from the instance only when a condition asks for them."""

    def __init__(self, instance: models.Model, exclude: set[str]):
        self._instance = instance
        self._exclude = exclude
        self._fields = _fields_by_name(type(instance))

    def _attname(self, name: object) -> str | None:
        if name == "pk":
            return None if "pk" in self._exclude else "pk"
        found = self._fields.get(name)
        if found is None or found[1] in self._exclude:
            return None
        return found[0]

    def __getitem__(self, name: str) -> Any:
        attname = self._attname(name)
        if attname is None:
            raise KeyError(name)
        value = getattr(self._instance, attname)
        if hasattr(value, "resolve_expression"):
            raise Unsupported(name)
        return value

    def __contains__(self, name: object) -> bool:
        return self._attname(name) is not None

    def __iter__(self):
        return (name for name in [*self._fields, "pk"] if name in self)

    def __len__(self) -> int:
        return sum(1 for _name in self)


_FIELDS: dict[type, dict[str, tuple[str, str]]] = {}


def _fields_by_name(model: type[models.Model]) -> dict[str, tuple[str, str]]:
    """Name and attname of each concrete field -> (attname, name): what constraints read."""
    if model not in _FIELDS:
        found = {}
        for field in model._meta.local_concrete_fields:
            if not field.generated:
                found[field.name] = found[field.attname] = (field.attname, field.name)
        _FIELDS[model] = found
    return _FIELDS[model]


def _is_taken(instance: models.Model, owner: Any) -> bool:
    return owner is not None and (instance._state.adding or owner != instance.pk)


def _unique_errors(instance, exclude: set[str], taken: Mapping[str, Mapping]) -> dict:
    """``validate_unique`` for single unique fields, answered from ``taken``."""
    errors = {}
    unique_checks, date_checks = instance._get_unique_checks(exclude=exclude)
    if date_checks:
        raise Unsupported(date_checks)
    for model_class, fields in unique_checks:
        if len(fields) != 1:
            raise Unsupported(fields)
        field = model_class._meta.get_field(fields[0])
        value = getattr(instance, field.attname)
        if value is None or (field.primary_key and not instance._state.adding):
            continue
        if field.name not in taken:
            raise Unsupported(fields)
        if _is_taken(instance, taken[field.name].get(value)):
            errors.setdefault(field.name, []).append(
                instance.unique_error_message(model_class, fields)
            )
    return errors


def _unique_check(instance, exclude: set[str], taken: Mapping[str, Mapping]) -> dict:
    try:
        return _unique_errors(instance, exclude, taken)
    except Unsupported:
        try:
            instance.validate_unique(exclude=exclude)
        except ValidationError as error:
            return error.update_error_dict({})
        return {}


def _constraint_error(instance, constraint, values, taken) -> ValidationError | None:
    """The error of one Meta constraint (None when it holds or does not apply)."""
    if isinstance(constraint, models.CheckConstraint):
        if condition_holds(constraint.condition, values):
            return None
        return ValidationError(
            constraint.get_violation_error_message(), code=constraint.violation_error_code
        )
    if not isinstance(constraint, models.UniqueConstraint) or constraint.expressions:
        raise Unsupported(constraint.name)
    if len(constraint.fields) != 1 or constraint.fields[0] not in taken:
        raise Unsupported(constraint.name)
    name = constraint.fields[0]
    if name not in values or values[name] is None:
        return None  # excluded (Django returns), or NULL, which is never equal
    if constraint.condition is not None and not condition_holds(constraint.condition, values):
        return None
    if not _is_taken(instance, taken[name].get(values[name])):
        return None
    if constraint.violation_error_message == constraint.default_violation_error_message:
        message = instance.unique_error_message(type(instance), constraint.fields)
        return ValidationError(message, code=message.code)
    return ValidationError(
        constraint.get_violation_error_message(), code=constraint.violation_error_code
    )


def _constraint_errors(instance, exclude: set[str], taken: Mapping[str, Mapping]) -> dict:
    """``validate_constraints``, a query only for what Python cannot answer."""
    errors = {}
    values = _FieldValues(instance, exclude)
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                error = _constraint_error(instance, constraint, values, taken)
            except FieldError:
                continue
            except Unsupported:
                try:
                    constraint.validate(model_class, instance, exclude=exclude)
                except ValidationError as raised:
                    error = raised
                else:
                    continue
            if error is None:
                continue
            if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                errors.setdefault(constraint.fields[0], []).append(error)
            else:
                errors = error.update_error_dict(errors)
    return errors


def full_clean_batched(
    instance: models.Model,
    *,
    exclude=(),
    taken: Mapping[str, Mapping[Any, Any]],
    validate_unique: bool = True,
) -> None:
    """``instance.full_clean(exclude=exclude)``, its unique and constraint checks without queries.

    ``taken`` maps each unique field to the values rows already hold (value ->
    primary key); a field without a map is checked by Django's own query.
    """
    errors = {}
    exclude = set(exclude)
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if validate_unique:
        exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
        for name, messages in _unique_check(instance, exclude, taken).items():
            errors.setdefault(name, []).extend(messages)
    exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
    for name, messages in _constraint_errors(instance, exclude, taken).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
