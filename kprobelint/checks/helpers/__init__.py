"""Helpers shared by the check modules: no checks are registered here.

``values`` reads manifest values of any YAML type, ``commands`` what an exec argv or a shell
script runs, ``ports`` port names and numbers as the API server and the kubelet read them.
"""
