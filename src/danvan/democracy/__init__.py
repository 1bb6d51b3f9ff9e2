"""Dân chủ ở cơ sở (Law 10/2022/QH15): one app per part of the law."""
