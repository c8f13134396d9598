"""NACE Rev. 2 sections (A to U) and the divisions they group.

A French NAF code (``13.20Z``) starts with its NACE division (``13``); the division gives
the section (``C``, manufacturing). Benchmarks split by section: divisions are too fine
to gather 5 companies in a programme.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (section, first division, last division), from the NACE Rev. 2 structure (Eurostat, 2008),
# which the French NAF rév. 2 follows to the division.
SECTION_DIVISIONS: tuple[tuple[str, int, int], ...] = (
    ("A", 1, 3),
    ("B", 5, 9),
    ("C", 10, 33),
    ("D", 35, 35),
    ("E", 36, 39),
    ("F", 41, 43),
    ("G", 45, 47),
    ("H", 49, 53),
    ("I", 55, 56),
    ("J", 58, 63),
    ("K", 64, 66),
    ("L", 68, 68),
    ("M", 69, 75),
    ("N", 77, 82),
    ("O", 84, 84),
    ("P", 85, 85),
    ("Q", 86, 88),
    ("R", 90, 93),
    ("S", 94, 96),
    ("T", 97, 98),
    ("U", 99, 99),
)

SECTION_NAMES: dict[str, Promise] = {
    "A": _("Agriculture, forestry and fishing"),
    "B": _("Mining and quarrying"),
    "C": _("Manufacturing"),
    "D": _("Electricity, gas, steam and air conditioning supply"),
    "E": _("Water supply, sewerage, waste management and remediation"),
    "F": _("Construction"),
    "G": _("Wholesale and retail trade, repair of motor vehicles"),
    "H": _("Transportation and storage"),
    "I": _("Accommodation and food service activities"),
    "J": _("Information and communication"),
    "K": _("Financial and insurance activities"),
    "L": _("Real estate activities"),
    "M": _("Professional, scientific and technical activities"),
    "N": _("Administrative and support service activities"),
    "O": _("Public administration and defence, compulsory social security"),
    "P": _("Education"),
    "Q": _("Human health and social work activities"),
    "R": _("Arts, entertainment and recreation"),
    "S": _("Other service activities"),
    "T": _("Activities of households as employers"),
    "U": _("Activities of extraterritorial organisations and bodies"),
}

DIVISION_SECTION: dict[int, str] = {
    division: section for section, first, last in SECTION_DIVISIONS for division in range(first, last + 1)
}


def nace_section(code: str | None) -> str | None:
    """The section letter of a NACE/NAF code (``"13.20Z"`` → ``"C"``); None if blank or unknown."""
    head = (code or "").strip()[:2]
    if len(head) != 2 or not head.isdigit():
        return None
    return DIVISION_SECTION.get(int(head))


def section_name(section: str) -> str:
    return str(SECTION_NAMES.get(section, section))
