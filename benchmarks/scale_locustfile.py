"""Locust users for benchmarks/scale.py: a consultant signs in, then opens worklist pages."""

import os
import random
import re

from locust import HttpUser, between, task

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Consultant(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        page = self.client.get("/accounts/login/")
        token = TOKEN.search(page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {
                "username": os.environ["SCALE_USER"],
                "password": os.environ["SCALE_PASSWORD"],
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
        )

    @task(4)
    def worklist(self):
        self.client.get("/worklist/", name="/worklist/")

    @task(2)
    def worklist_filtered(self):
        self.client.get("/worklist/?severity=amber", name="/worklist/?severity=amber")

    @task(1)
    def worklist_page(self):
        self.client.get(f"/worklist/?page={random.randint(1, 3)}", name="/worklist/?page=N")  # noqa: S311
