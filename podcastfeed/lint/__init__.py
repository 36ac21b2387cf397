"""The rules of podcastfeed check: base.py (what a rule is and reads), runner.py (runs them on
our build or any feed), online.py (the HTTP side of --online), rules/ (the rules).
"""
