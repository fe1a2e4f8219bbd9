"""Example leercultuur plugin for Zorggroep Voorbeeld (fictief), a fictional care organisation.

Everything here is invented for the example; no evidence is claimed. The
plugin itself is :mod:`zorg_voorbeeld.plugin`, announced by the entry point
``zorg_voorbeeld`` in the group ``leercultuur``.
"""

__version__ = "0.1.0"
