"""Locust users for benchmarks/scale.py: a signed-in consultant opening worklist pages."""

import os
import random

from locust import HttpUser, between, task


class Consultant(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.client.cookies.set("sessionid", os.environ["SCALE_SESSION"])

    @task(4)
    def worklist(self):
        self.client.get("/worklist/", name="/worklist/")

    @task(2)
    def worklist_filtered(self):
        self.client.get("/worklist/?severity=amber", name="/worklist/?severity=amber")

    @task(1)
    def worklist_page(self):
        self.client.get(f"/worklist/?page={random.randint(1, 3)}", name="/worklist/?page=N")  # noqa: S311
