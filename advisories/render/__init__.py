"""Rendering in stages: answers -> typed context (context.py) -> HTML (html.py) -> PDF (pdf.py).

The only package that imports jinja2 and weasyprint; each stage is callable on its own.
"""
