"""Where a build's files go (plan.py), writing them as one step with a manifest (commit.py,
write.py), and one build at a time per show (showlock.py).
"""
