"""The pages' code: one module a page, each with a render() that its script in pages/ calls.

Here rather than in the page scripts: the scripts stay thin, and a module is compiled once.
Streamlit's test runner (AppTest, which the tests and the benchmark use) compiles a page script
on every run: 1.5 ms for most pages and 5.8 ms for the Plan's, on every run of them.
"""
