"""radon's complexity and Halstead visitors, walked faster.

radon's visitors are ``ast.NodeVisitor`` subclasses: for every node,
``visit`` builds a method name and looks it up, ``generic_visit`` walks the
``ast.iter_fields`` generator, and every ``Constant`` goes through the
standard library's compatibility shim for ``visit_Num``-style methods. On
netbox that walking was most of radon's time. The subclasses here keep
radon's own methods and counting and change only the walk:

* ``visit`` looks the method up once per visitor class and node class;
* ``generic_visit`` reads ``node._fields`` directly: the same fields, in the
  same order, skipping the missing ones, as ``iter_fields``;
* a ``Constant`` goes straight to ``generic_visit`` (it holds no nodes)
  unless the visitor defines one of the deprecated ``visit_Num``-style
  methods, as the shim would.

radon's ``ComplexityVisitor.visit_FunctionDef``/``visit_ClassDef`` and
``HalsteadVisitor.visit_FunctionDef`` create nested visitors by class name;
they are mirrored below (radon 6.0.1) to create nested visitors of the faster
class. tests/test_parity.py hashes the radon code mirrored here and fails
when a radon release changes it; the numbers are compared with radon's own
visitors and command line there too.
"""

from __future__ import annotations

import ast

from radon.metrics import halstead_visitor_report
from radon.visitors import GET_ENDLINE, Class, ComplexityVisitor, Function, HalsteadVisitor

_LEGACY_CONSTANT_METHODS = ("visit_Num", "visit_Str", "visit_Bytes", "visit_NameConstant", "visit_Ellipsis")


class _FastWalk(ast.NodeVisitor):
    """``ast.NodeVisitor``'s ``visit`` and ``generic_visit``, with the same
    results and less work per node. Placed after radon's classes in the
    method order, so that radon's own ``generic_visit`` (which ends with
    ``super().generic_visit``) reaches this one."""

    _methods: dict[type, object]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._methods = {}

    def visit(self, node):
        kind = node.__class__
        method = self._methods.get(kind)
        if method is None:
            method = self._methods[kind] = _method_for(type(self), kind)
        return method(self, node)

    def generic_visit(self, node):
        visit = self.visit
        for field in node._fields:
            try:
                value = getattr(node, field)
            except AttributeError:
                continue
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        visit(item)
            elif isinstance(value, ast.AST):
                visit(value)


def _method_for(visitor: type, kind: type):
    """What ``ast.NodeVisitor.visit`` would call for a node of class ``kind``."""
    method = getattr(visitor, "visit_" + kind.__name__, None)
    if kind is ast.Constant and method is getattr(ast.NodeVisitor, "visit_Constant", object()):
        if not any(hasattr(visitor, name) for name in _LEGACY_CONSTANT_METHODS):
            return visitor.generic_visit
    return method if method is not None else visitor.generic_visit


class FastComplexityVisitor(ComplexityVisitor, _FastWalk):
    """radon's ComplexityVisitor; nested visitors are of this class too."""

    # Mirrors ComplexityVisitor.visit_FunctionDef of radon 6.0.1, creating
    # nested visitors with type(self) instead of ComplexityVisitor.
    def visit_FunctionDef(self, node):
        closures = []
        body_complexity = 1
        for child in node.body:
            visitor = type(self)(off=False, no_assert=self.no_assert)
            visitor.visit(child)
            closures.extend(visitor.functions)
            body_complexity += visitor.complexity

        func = Function(
            node.name,
            node.lineno,
            node.col_offset,
            max(node.lineno, visitor.max_line),
            self.to_method,
            self.classname,
            closures,
            body_complexity,
        )
        self.functions.append(func)

    # Mirrors ComplexityVisitor.visit_ClassDef of radon 6.0.1 (same change).
    def visit_ClassDef(self, node):
        methods = []
        body_complexity = 1
        classname = node.name
        visitors_max_lines = [node.lineno]
        inner_classes = []
        for child in node.body:
            visitor = type(self)(True, classname, off=False, no_assert=self.no_assert)
            visitor.visit(child)
            methods.extend(visitor.functions)
            body_complexity += visitor.complexity + visitor.functions_complexity + len(visitor.functions)
            visitors_max_lines.append(visitor.max_line)
            inner_classes.extend(visitor.classes)

        cls = Class(
            classname,
            node.lineno,
            node.col_offset,
            max(visitors_max_lines + list(map(GET_ENDLINE, methods))),
            methods,
            inner_classes,
            body_complexity,
        )
        self.classes.append(cls)


class FastHalsteadVisitor(HalsteadVisitor, _FastWalk):
    """radon's HalsteadVisitor; nested visitors are of this class too."""

    # Mirrors HalsteadVisitor.visit_FunctionDef of radon 6.0.1, creating
    # nested visitors with type(self) instead of HalsteadVisitor.
    def visit_FunctionDef(self, node):
        func_visitor = type(self)(context=node.name)

        for child in node.body:
            visitor = type(self).from_ast(child, context=node.name)
            self.operators += visitor.operators
            self.operands += visitor.operands
            self.operators_seen.update(visitor.operators_seen)
            self.operands_seen.update(visitor.operands_seen)

            func_visitor.operators += visitor.operators
            func_visitor.operands += visitor.operands
            func_visitor.operators_seen.update(visitor.operators_seen)
            func_visitor.operands_seen.update(visitor.operands_seen)

        self.function_visitors.append(func_visitor)


def halstead_total(tree: ast.AST):
    """``radon.metrics.h_visit_ast(tree).total``."""
    return halstead_visitor_report(FastHalsteadVisitor.from_ast(tree))
