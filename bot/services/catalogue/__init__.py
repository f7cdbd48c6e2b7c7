"""Catalogue: the labs of 2013, approved innovations and FAQ entries — pages, cards, near me,
QR codes.
"""
