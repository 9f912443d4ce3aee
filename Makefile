.PHONY: run test setup bench lint

# Set everything up, then serve the app with demo data on http://127.0.0.1:8000
run: setup
	DEBUG=true .venv/bin/python manage.py runserver 127.0.0.1:8000

# Set everything up, then run the whole suite on SQLite and on PostgreSQL 15
test:
	bin/test

setup:
	bin/setup

bench:
	bin/bench

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
