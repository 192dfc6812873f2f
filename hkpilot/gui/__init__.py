"""The Qt face of HKPilot (PySide6 is imported only under this package).

``run_gui`` lives in :mod:`hkpilot.gui.app`; import it from there so that importing
this package alone does not load Qt.
"""
