"""Apprise's plugins, loaded once in the forkserver that flow runs are forked from
(deployments/forkstart.py: HEAVY). Apprise looks up its ~100 notification plugins at the first
`Apprise().add()`: about 1 s of CPU that every flow run delivering a message paid again in
its own fork (measured: 0.97 s for the first add, 0.6 ms after). Loaded here, the forks
share the loaded registry."""

from apprise.manager_plugins import NotificationManager

NotificationManager().load_modules()
