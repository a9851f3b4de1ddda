"""Settings for the benchmarks: the app's own settings plus two reference endpoints.

Everything the measured pages use is config.settings unchanged. Two differences:
``bench.urls`` adds a hello-world view and a raw-SQL check-in next to the app's URLs,
and bench users' passwords use a fast hash so that logging in 1,800 members before
the check-in burst takes seconds; no scenario measures the login itself.
"""

from config.settings import *

ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
