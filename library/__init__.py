"""The knowledge library ("Wissen & Werkzeuge"): guides, templates, checklists, method
cards and case studies by lab phase, and the way through the phases.

It builds on `labs` (phases, topics, sectors) and `events` (the workshops a material was
used in); neither of them imports it: the workshop page asks for its materials through the
hook "workshop_materials" (wagtail_hooks.py).
"""
