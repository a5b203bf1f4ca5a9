"""WCAG contrast arithmetic for the brand colour chosen in the site settings."""

import re

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
# WCAG 2.1 AA for normal text.
MINIMUM_CONTRAST = 4.5


def relative_luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The darkest surface of KERN's dark theme that links and buttons sit on (neutral-900).
DARK_SURFACE = "#1f2230"


def mix_with_white(hex_colour: str, share: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in (r, g, b))


def dark_mode_variant(hex_colour: str) -> str:
    """The brand colour lightened until it reaches AA contrast on KERN's dark surfaces (and
    for the black text KERN's dark theme puts on buttons), keeping its hue."""
    for step in range(21):
        candidate = mix_with_white(hex_colour, step / 20)
        if contrast_ratio(candidate, DARK_SURFACE) >= MINIMUM_CONTRAST:
            return candidate
    return WHITE
