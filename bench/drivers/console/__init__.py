"""Console access: pyserial transports, a deadline-bound expect reader and a prompt state machine.

    transport.py   open /dev/tty*, rfc2217://, socket://, telnet:// with per-slot line settings
    expect.py      read until a pattern or a deadline; safe decoding; a masked transcript
    machine.py     from any console state (boot, ROMMON, setup dialog, login) to an enabled prompt
"""
