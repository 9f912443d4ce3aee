from tests.accounts.smtp import smtp_server  # noqa: F401  (a fixture for the tests here)
