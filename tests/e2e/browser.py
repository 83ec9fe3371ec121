"""Waiting for a Streamlit page in a real browser."""


def wait_for_app(page, timeout: float = 30_000) -> None:
    """As Streamlit's own e2e suite does: connected, script finished, no skeletons left."""
    page.wait_for_timeout(250)
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout)
    page.get_by_test_id("stSkeleton").first.wait_for(state="detached", timeout=timeout)
