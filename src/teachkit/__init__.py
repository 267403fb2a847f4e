"""teachkit: quizzes, saved answers, datasets and checks for Jupyter teaching modules.

Lessons start with ``from teachkit import setup, quiz, data; setup()``.
"""

from . import data, quiz
from .course import course_root, language, setup
from .strings import month_text, tr

__version__ = "0.1.0"
__all__ = ["course_root", "data", "language", "month_text", "quiz", "setup", "tr"]
