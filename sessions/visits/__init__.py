"""A visit's lifecycle: the pure transition table (`transitions`) and one service per
transition (`services`), each locking the appointment's row and re-checking its state."""
