"""Python logic that needs PyFlink's JVM through Py4J (the builders, the job graph sink_to()
makes), without LocalStack or a running job; tests/unit holds what needs neither."""
