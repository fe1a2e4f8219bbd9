"""Test data: fake installed plugins (dist-info directories and their modules), not tests."""

collect_ignore_glob = ["*"]
