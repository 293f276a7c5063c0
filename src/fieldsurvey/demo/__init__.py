"""Generated demonstration data: realistic interviews of the bundled questionnaire, made
through the engine, stored in a data folder or spread over simulated laptops' exports."""

from fieldsurvey.demo.generate import (
    DemoReport,
    LaptopReport,
    generate_into_store,
    simulate_laptops,
)

__all__ = ["DemoReport", "LaptopReport", "generate_into_store", "simulate_laptops"]
