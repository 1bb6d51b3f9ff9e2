"""Dân kiểm tra, giám sát and dân thụ hưởng: the commune's people's inspection board and community
investment supervision board, their plans, findings and recommendations; supervised investment
projects; and the commitments the authorities made to the people, followed to completion."""
